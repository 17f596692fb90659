package org.ifpp.keymaker.web;

import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;

/** problem+json bodies written by servlet filters, outside Spring MVC's message converters. */
final class Problems {

  private Problems() {}

  static byte[] json(HttpStatus status, String code, String detail) {
    String s =
        "{\"type\":\"urn:ifpp:keymaker:problem:"
            + code
            + "\",\"title\":\""
            + escape(status.getReasonPhrase())
            + "\",\"status\":"
            + status.value()
            + ",\"detail\":\""
            + escape(detail)
            + "\",\"code\":\""
            + code
            + "\"}";
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
