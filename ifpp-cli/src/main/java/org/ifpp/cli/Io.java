package org.ifpp.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;

/** File helpers of the CLI: clear errors, and outputs written whole or not at all. */
final class Io {

  private Io() {}

  static byte[] read(Path file, String what) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CliException("cannot read " + what + " " + file + ": " + e.getMessage());
    }
  }

  static byte[] hex(String text, String what) {
    try {
      return HexFormat.of().parseHex(text.strip().replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new CliException(what + " is not hex");
    }
  }

  /** Writes through a temporary file and an atomic rename, so a failure leaves nothing behind. */
  static void writeAtomically(Path out, byte[] content) {
    Path dir = out.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, ".ifpp-", ".tmp");
      Files.write(tmp, content);
      try {
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new CliException("cannot write " + out + ": " + e.getMessage());
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the temporary file holds no secret beyond what `out` would have held
        }
      }
    }
  }
}
