package org.ifpp.crypto.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import org.ifpp.crypto.secret.SecretBytes;

/** Reads the project's test data ({@code test-data/}, provenance in its README.md). */
public final class Vectors {

  private static JsonNode bsp;

  private Vectors() {}

  public static Path dir() {
    return Path.of(System.getProperty("ifpp.test-data.dir", "../test-data"));
  }

  public static synchronized JsonNode bspKnownAnswers() {
    if (bsp == null) {
      try {
        bsp = new ObjectMapper().readTree(dir().resolve("sgp22/bsp-known-answers.json").toFile());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return bsp;
  }

  public static byte[] read(String relative) {
    try {
      return Files.readAllBytes(dir().resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String readString(String relative) {
    return new String(read(relative), java.nio.charset.StandardCharsets.US_ASCII);
  }

  public static byte[] hex(JsonNode node) {
    return HexFormat.of().parseHex(node.asText());
  }

  /** Parses hex, ignoring spaces. */
  public static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  public static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  public static SecretBytes secret(JsonNode node) {
    return SecretBytes.adopt(hex(node));
  }

  public static byte[] base64(JsonNode node) {
    return Base64.getDecoder().decode(node.asText());
  }

  /** The three GSMA TS.48 test profiles. */
  public static final String[] TS48_PROFILES = {
    "profiles/TS48V1-A-UNIQUE.der",
    "profiles/TS48V5-SAIP2-1A-NOBERTLV-UNIQUE.der",
    "profiles/TS48V5-SAIP2-3-NOBERTLV-UNIQUE.der"
  };
}
