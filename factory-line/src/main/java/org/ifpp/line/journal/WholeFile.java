package org.ifpp.line.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A file replaced whole or not at all: written to a temporary file beside it, fsync'ed, moved over
 * it (atomically where the file system can) and the directory fsync'ed. A crash leaves the old file
 * or the new one, never a part; a failed write leaves the old file and no temporary one.
 */
public final class WholeFile {

  /** What goes into the file, written to the temporary file's channel. */
  @FunctionalInterface
  public interface Content {
    void writeTo(FileChannel out) throws IOException;
  }

  private WholeFile() {}

  /** Replaces {@code file} with {@code bytes}. */
  public static void write(Path file, byte[] bytes) throws IOException {
    write(file, out -> writeFully(out, bytes));
  }

  /** Replaces {@code file} with what {@code content} writes. */
  public static void write(Path file, Content content) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
    try {
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        content.writeTo(out);
        out.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      syncDirectory(parent);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes all of {@code bytes} (a channel may take less than asked in one write). */
  static void writeFully(FileChannel out, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      out.write(b);
    }
  }

  private static void syncDirectory(Path directory) {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Not every file system lets a directory be opened for fsync; the rename is still atomic.
    }
  }
}
