package org.ifpp.keymaker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** The GSMA TS.48 test profiles of test-data/profiles, with ICCIDs rewritten on demand. */
public final class TestProfiles {

  public static final String[] NAMES = {
    "TS48V1-A-UNIQUE.der",
    "TS48V5-SAIP2-1A-NOBERTLV-UNIQUE.der",
    "TS48V5-SAIP2-3-NOBERTLV-UNIQUE.der"
  };

  private TestProfiles() {}

  /** The ICCID (19 digits) of test profile number {@code serial}. */
  public static String iccid(long serial) {
    return "894944" + String.format("%013d", serial);
  }

  /**
   * {@code count} profiles numbered from {@code firstSerial} (the TS.48 profiles in turn, each with
   * the ICCID of its number), base64 as the import takes them.
   */
  public static List<String> encoded(long firstSerial, int count) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(Base64.getEncoder().encodeToString(numbered(firstSerial + i, i)));
    }
    return out;
  }

  /** TS.48 profile {@code i % 3} with the ICCID of number {@code serial}. */
  public static byte[] numbered(long serial, int i) {
    return withIccid(load(NAMES[i % NAMES.length]), iccid(serial));
  }

  public static byte[] load(String name) {
    try {
      return Files.readAllBytes(
          Path.of(System.getProperty("ifpp.test-data.dir"), "profiles", name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The profile with its ProfileHeader ICCID (tag 83, plain BCD in digit order, F-padded) set to
   * {@code digits} (19 digits).
   */
  public static byte[] withIccid(byte[] der, String digits) {
    byte[] out = der.clone();
    int at = indexOf(out, new byte[] {(byte) 0x83, 0x0A});
    if (at < 0 || at > 200) {
      throw new IllegalArgumentException("no header ICCID");
    }
    byte[] bcd = HexFormat.of().parseHex(digits + "f");
    System.arraycopy(bcd, 0, out, at + 2, 10);
    return out;
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
