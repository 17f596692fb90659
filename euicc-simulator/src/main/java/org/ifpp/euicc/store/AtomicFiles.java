package org.ifpp.euicc.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Crash-safe whole-file replacement: write a temporary file beside the target, force it to disk,
 * rename it over the target atomically, then force the directory so the rename itself survives a
 * crash. A reader (or a restart) sees either the old or the new content, never a mix.
 */
public final class AtomicFiles {

  /** Suffix of temporary files; leftovers of a crash are deleted at startup. */
  public static final String TEMP_SUFFIX = ".tmp";

  private AtomicFiles() {}

  /**
   * Replaces {@code target} with {@code data[0..length)}.
   *
   * @param fsync whether to force file and directory to stable storage (off only for throwaway
   *     demos)
   */
  public static void replace(Path target, byte[] data, int length, boolean fsync) {
    replaceNoDirSync(target, data, length, fsync);
    if (fsync) {
      forceDirectory(target.getParent());
    }
  }

  /**
   * Like {@link #replace} but leaves the directory sync to the caller, so a batch of new files can
   * share one directory sync.
   */
  public static void replaceNoDirSync(Path target, byte[] data, int length, boolean fsync) {
    Path temp =
        target.resolveSibling(
            target.getFileName()
                + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + TEMP_SUFFIX);
    try {
      try (FileChannel ch =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(data, 0, length);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
        if (fsync) {
          ch.force(true);
        }
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  /** Forces a directory's entries (creations, renames) to stable storage. */
  public static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync directory " + dir, e);
    }
  }
}
