package org.ifpp.euicc.web;

import java.util.Base64;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.web.DomainException;

/** Decodes base64 request fields, turning errors into a 400 naming the field. */
public final class Base64Field {

  private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

  private Base64Field() {}

  public static byte[] decode(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new DomainException(SimulatorError.MISSING_FIELD, field + " is required");
    }
    try {
      return Base64.getDecoder().decode(WHITESPACE.matcher(value).replaceAll(""));
    } catch (IllegalArgumentException e) {
      throw new DomainException(SimulatorError.INVALID_BASE64, field + " is not valid base64");
    }
  }
}
