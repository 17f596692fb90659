package org.ifpp.euicc.web;

import java.util.Base64;

/** Decodes base64 request fields, turning errors into a 400 naming the field. */
final class Base64Field {

  private Base64Field() {}

  static byte[] decode(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new BadRequestException("missingField", field + " is required");
    }
    try {
      return Base64.getMimeDecoder().decode(value.strip());
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("invalidBase64", field + " is not valid base64");
    }
  }
}
