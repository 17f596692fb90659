package org.ifpp.line.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON helpers shared by the REST clients: one mapper, problem+json {@code code} extraction. */
public final class Json {

  public static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static byte[] body(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode parse(byte[] body) {
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      throw new HttpCallException("answer is not JSON", 0, null, e);
    }
  }

  public static JsonNode parse(String body) {
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      throw new HttpCallException("answer is not JSON", 0, null, e);
    }
  }

  /** The problem+json {@code code} (or {@code errorCode}) of an error answer, or null. */
  public static String problemCode(Response response) {
    byte[] body = response.body();
    if (body.length == 0) {
      return null;
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null) {
        return null;
      }
      for (String field : new String[] {"code", "errorCode", "error"}) {
        if (node.hasNonNull(field)) {
          return node.get(field).asText();
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  /** A final error answer as an exception, with the status and problem code. */
  public static HttpCallException failure(String what, Response response) {
    String code = problemCode(response);
    return new HttpCallException(
        what + ": HTTP " + response.statusCode() + (code == null ? "" : " " + code),
        response.statusCode(),
        code,
        null,
        Http.retryAfter(response).orElse(null));
  }
}
