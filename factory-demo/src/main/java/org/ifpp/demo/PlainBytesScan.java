package org.ifpp.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Looks for a plain profile in files the factory side produced (a database dump, logs): GENS09 says
 * no clear-text profile byte may exist outside the Key Maker and the chip. The needles are slices
 * of the profile body (past the header, whose ICCID and name also travel in the package's MAC-only
 * metadata, by design), searched raw, as hex in both cases (pg_dump writes bytea as hex) and as
 * base64 at the three alignments.
 */
public final class PlainBytesScan {

  /** A needle found in a file. */
  public record Hit(Path file, String encoding, int sliceOffset) {}

  private final List<Needle> needles = new ArrayList<>();

  private record Needle(String encoding, int sliceOffset, byte[] bytes) {}

  /**
   * @param profile a plain profile (UPP)
   * @param sliceLength bytes per needle (32 makes a false positive impossible in practice)
   * @param slices how many slices, spread over the body
   */
  public PlainBytesScan(byte[] profile, int sliceLength, int slices) {
    int header = ProfileCopies.iccidOffset(profile) + 10;
    int start = Math.max(header + 256, profile.length / 8);
    int span = profile.length - start - sliceLength;
    if (span <= 0) {
      throw new IllegalArgumentException("profile too short for the scan");
    }
    for (int i = 0; i < slices; i++) {
      int offset = start + (int) ((long) span * i / Math.max(1, slices - 1));
      byte[] slice = Arrays.copyOfRange(profile, offset, offset + sliceLength);
      add("raw", offset, slice);
      add("hex", offset, HexFormat.of().formatHex(slice).getBytes(StandardCharsets.US_ASCII));
      add(
          "HEX",
          offset,
          HexFormat.of().withUpperCase().formatHex(slice).getBytes(StandardCharsets.US_ASCII));
      for (int shift = 0; shift < 3; shift++) {
        // Base64 of the slice at each alignment, minus the edge characters that depend on
        // neighbouring bytes.
        byte[] aligned = Arrays.copyOfRange(profile, offset - shift, offset + sliceLength);
        String b64 = Base64.getEncoder().withoutPadding().encodeToString(aligned);
        add(
            "base64",
            offset,
            b64.substring(4, b64.length() - 4).getBytes(StandardCharsets.US_ASCII));
      }
    }
  }

  private void add(String encoding, int offset, byte[] bytes) {
    needles.add(new Needle(encoding, offset, bytes));
  }

  /** How many needles are searched. */
  public int needleCount() {
    return needles.size();
  }

  /** Every needle found in {@code files} (directories are walked). */
  public List<Hit> scan(List<Path> files) throws IOException {
    List<Hit> hits = new ArrayList<>();
    for (Path root : files) {
      List<Path> all;
      try (var walk = Files.walk(root)) {
        all = walk.filter(Files::isRegularFile).toList();
      }
      for (Path file : all) {
        byte[] content = Files.readAllBytes(file);
        for (Needle n : needles) {
          if (indexOf(content, n.bytes()) >= 0) {
            hits.add(new Hit(file, n.encoding(), n.sliceOffset()));
          }
        }
      }
    }
    return hits;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
