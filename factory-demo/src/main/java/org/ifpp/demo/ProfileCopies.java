package org.ifpp.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ifpp.crypto.ids.Iccid;

/**
 * Distinct test profiles for a demo of N devices: copies of the TS.48 test UPPs with the ICCID of
 * the SAIP ProfileHeader rewritten. The header is the package's first element, {@code A0 len { ...
 * 83 0A iccid ... }}; the ICCID has a fixed length (10 bytes, nibble-swapped BCD), so a rewrite
 * changes no length and leaves every other byte as published.
 */
public final class ProfileCopies {

  private ProfileCopies() {}

  /** One profile: its ICCID and its DER bytes. */
  public record Profile(Iccid iccid, byte[] der) {}

  /**
   * The offset of the ICCID value inside the ProfileHeader of {@code upp}.
   *
   * @throws IllegalArgumentException when the package does not start with a ProfileHeader holding a
   *     10-byte ICCID
   */
  public static int iccidOffset(byte[] upp) {
    if (upp.length < 4 || (upp[0] & 0xFF) != 0xA0) {
      throw new IllegalArgumentException("not a SAIP profile package: no ProfileHeader (A0)");
    }
    int pos = 1;
    int len = upp[pos++] & 0xFF;
    if (len == 0x81) {
      len = upp[pos++] & 0xFF;
    } else if (len == 0x82) {
      len = ((upp[pos] & 0xFF) << 8) | (upp[pos + 1] & 0xFF);
      pos += 2;
    } else if (len > 0x7F) {
      throw new IllegalArgumentException("ProfileHeader length form not supported");
    }
    int end = Math.min(upp.length, pos + len);
    while (pos + 2 <= end) {
      int tag = upp[pos] & 0xFF;
      int l = upp[pos + 1] & 0xFF;
      if (l > 0x7F) {
        throw new IllegalArgumentException("long length inside ProfileHeader not expected");
      }
      if (tag == 0x83) {
        if (l != 10) {
          throw new IllegalArgumentException("ICCID in ProfileHeader is not 10 bytes");
        }
        return pos + 2;
      }
      pos += 2 + l;
    }
    throw new IllegalArgumentException("ProfileHeader holds no ICCID (83)");
  }

  /** A copy of {@code upp} with {@code iccid} in its header. */
  public static byte[] withIccid(byte[] upp, Iccid iccid) {
    int at = iccidOffset(upp);
    byte[] copy = Arrays.copyOf(upp, upp.length);
    System.arraycopy(headerBytes(iccid), 0, copy, at, 10);
    return copy;
  }

  /** The ICCID in {@code upp}'s header. */
  public static Iccid iccidOf(byte[] upp) {
    int at = iccidOffset(upp);
    StringBuilder digits = new StringBuilder(20);
    for (int i = at; i < at + 10; i++) {
      for (int nibble : new int[] {(upp[i] >> 4) & 0x0F, upp[i] & 0x0F}) {
        if (nibble <= 9) {
          digits.append((char) ('0' + nibble));
        }
      }
    }
    return new Iccid(digits.toString());
  }

  /** The header form: BCD in reading order, padded with F to 10 bytes. */
  static byte[] headerBytes(Iccid iccid) {
    String v = iccid.value();
    byte[] out = new byte[10];
    for (int i = 0; i < 20; i++) {
      int nibble = i < v.length() ? v.charAt(i) - '0' : 0x0F;
      out[i / 2] |= (byte) (i % 2 == 0 ? nibble << 4 : nibble);
    }
    return out;
  }

  /**
   * {@code count} profiles cycling over {@code templates}, with ICCIDs {@code prefix} followed by a
   * running number and a Luhn check digit (19 digits in all).
   *
   * @param prefix 10 digits (issuer identification), e.g. {@code 8949449999}
   * @param first the running number of the first profile
   */
  public static List<Profile> generate(
      List<byte[]> templates, int count, String prefix, long first) {
    if (!prefix.matches("[0-9]{10}")) {
      throw new IllegalArgumentException("ICCID prefix must be 10 digits");
    }
    List<Profile> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String body = prefix + String.format("%08d", first + i);
      Iccid iccid = new Iccid(body + luhn(body));
      out.add(new Profile(iccid, withIccid(templates.get(i % templates.size()), iccid)));
    }
    return out;
  }

  /** The TS.48 test profiles in {@code dir} (*.der, sorted by name). */
  public static List<byte[]> templates(Path dir) throws IOException {
    List<byte[]> out = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".der")).sorted().toList()) {
        out.add(Files.readAllBytes(p));
      }
    }
    if (out.isEmpty()) {
      throw new IOException("no *.der profiles in " + dir);
    }
    return out;
  }

  static int luhn(String digits) {
    int sum = 0;
    boolean twice = true;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return (10 - sum % 10) % 10;
  }
}
