package org.ifpp.euicc.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.chip.Chip;

/**
 * The fleet's durable state: one file per chip ({@code chips/<EID>.chip}) in a directory, each
 * replaced atomically ({@link AtomicFiles}) whenever the chip changes. One file per chip means no
 * global lock and no write amplification across chips: a load rewrites one ~2 KB file.
 *
 * <p>A consumed or wiped one-time key's private scalar is simply absent from the new file; the old
 * file is unlinked by the rename. (Its freed disk blocks are not scrubbed: on journaling or
 * copy-on-write file systems and on flash an in-place overwrite would not guarantee that either;
 * see docs/euicc-simulator.md.)
 */
public final class ChipStore {

  private static final String SUFFIX = ".chip";
  private static final int INITIAL_BUFFER = 16 * 1024;

  private final Path chipsDir;
  private final boolean fsync;
  private final GroupSync directorySync;

  public ChipStore(Path root, boolean fsync) {
    this.chipsDir = root.resolve("chips");
    this.fsync = fsync;
    this.directorySync = new GroupSync(() -> AtomicFiles.forceDirectory(chipsDir));
    try {
      Files.createDirectories(chipsDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + chipsDir, e);
    }
  }

  public Path directory() {
    return chipsDir;
  }

  Path fileOf(Eid eid) {
    return chipsDir.resolve(eid.value() + SUFFIX);
  }

  /**
   * Persists one chip durably before returning: the new file is written and forced, renamed over
   * the old one, and a directory sync that started after the rename has completed (one such sync is
   * shared by concurrent saves, {@link GroupSync}). Call while holding the chip's lock.
   */
  public void save(Chip chip) {
    write(chip, true);
  }

  /**
   * Persists new chips (manufacturing): each file is written and forced, and the directory is
   * forced once at the end, before this method returns.
   */
  public void saveAll(Collection<Chip> chips) {
    chips.parallelStream().forEach(chip -> chip.locked(() -> write(chip, false)));
    if (fsync) {
      AtomicFiles.forceDirectory(chipsDir);
    }
  }

  private Void write(Chip chip, boolean syncDirectory) {
    WipeableBuffer buffer = new WipeableBuffer(INITIAL_BUFFER);
    try {
      ChipCodec.encode(chip, buffer);
      AtomicFiles.replaceNoDirSync(fileOf(chip.eid()), buffer.array(), buffer.size(), fsync);
      if (syncDirectory && fsync) {
        // The rename is durable before save returns; concurrent saves share the directory sync.
        directorySync.sync();
      }
    } finally {
      buffer.wipe();
    }
    return null;
  }

  /** Loads every chip, first deleting temporary files left by a crash. */
  public List<Chip> loadAll() {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(chipsDir)) {
      for (Path p : (Iterable<Path>) list::iterator) {
        String name = p.getFileName().toString();
        if (name.endsWith(AtomicFiles.TEMP_SUFFIX)) {
          Files.deleteIfExists(p);
        } else if (name.endsWith(SUFFIX)) {
          files.add(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + chipsDir, e);
    }
    List<Chip> chips = Collections.synchronizedList(new ArrayList<>(files.size()));
    files.parallelStream()
        .forEach(
            p -> {
              try {
                byte[] bytes = Files.readAllBytes(p);
                try {
                  chips.add(ChipCodec.decode(bytes));
                } catch (CorruptChipFileException e) {
                  throw new CorruptChipFileException(p + ": " + e.getMessage(), e);
                } finally {
                  java.util.Arrays.fill(bytes, (byte) 0);
                }
              } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p, e);
              }
            });
    return chips;
  }
}
