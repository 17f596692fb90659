package org.ifpp.euicc.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.chip.Chip;

/**
 * The fleet's durable state: one file per chip ({@code chips/<xx>/<EID>.chip}, {@code xx} one of
 * 256 shard directories chosen by the EID), each replaced atomically ({@link AtomicFiles}) whenever
 * the chip changes (without fsync, for throwaway fleets, rewritten in place instead: see
 * overwrite()). One file per chip means no global lock and no write amplification across chips: a
 * load rewrites one ~2 KB file. The shards keep concurrent loads of different chips from queueing
 * on one directory's lock: every replacement creates and renames an entry in its directory, and
 * with all chips in one directory those operations serialised in the kernel and cost about twice
 * the CPU (docs/euicc-simulator.md, "Persistence"). A fleet stored by an earlier version in the
 * flat {@code chips/<EID>.chip} layout is moved into the shards at startup.
 *
 * <p>A consumed or wiped one-time key's private scalar is simply absent from the new file; the old
 * file is unlinked by the rename. (Its freed disk blocks are not scrubbed: on journaling or
 * copy-on-write file systems and on flash an in-place overwrite would not guarantee that either;
 * see docs/euicc-simulator.md.)
 */
public final class ChipStore {

  private static final String SUFFIX = ".chip";
  // A chip file is about 1.8 KB (4 one-time keys, a few profiles); the buffer grows if needed.
  private static final int INITIAL_BUFFER = 4 * 1024;
  private static final int SHARDS = 256;

  private final Path chipsDir;
  private final boolean fsync;
  private final Path[] shardDirs = new Path[SHARDS];
  private final GroupSync[] shardSyncs = new GroupSync[SHARDS];

  public ChipStore(Path root, boolean fsync) {
    this.chipsDir = root.resolve("chips");
    this.fsync = fsync;
    try {
      Files.createDirectories(chipsDir);
      for (int i = 0; i < SHARDS; i++) {
        Path dir = chipsDir.resolve(String.format("%02x", i));
        Files.createDirectories(dir);
        shardDirs[i] = dir;
        shardSyncs[i] = new GroupSync(() -> AtomicFiles.forceDirectory(dir));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + chipsDir, e);
    }
    if (fsync) {
      AtomicFiles.forceDirectory(chipsDir); // the shard directories' entries
    }
  }

  public Path directory() {
    return chipsDir;
  }

  /** The shard of an EID: stable across runs (String.hashCode is specified). */
  private static int shard(Eid eid) {
    int h = eid.value().hashCode();
    return (h ^ (h >>> 16)) & (SHARDS - 1);
  }

  Path fileOf(Eid eid) {
    return shardDirs[shard(eid)].resolve(eid.value() + SUFFIX);
  }

  /**
   * Persists one chip durably before returning: the new file is written and forced, renamed over
   * the old one, and a sync of its directory that started after the rename has completed (one such
   * sync is shared by concurrent saves in the same shard, {@link GroupSync}). Call while holding
   * the chip's lock.
   */
  public void save(Chip chip) {
    write(chip, true);
  }

  /**
   * Persists new chips (manufacturing): each file is written and forced, and every shard directory
   * written to is forced once at the end, before this method returns.
   */
  public void saveAll(Collection<Chip> chips) {
    chips.parallelStream().forEach(chip -> chip.locked(() -> write(chip, false)));
    if (fsync) {
      Set<Integer> touched = new HashSet<>();
      for (Chip chip : chips) {
        touched.add(shard(chip.eid()));
      }
      touched.parallelStream().forEach(i -> AtomicFiles.forceDirectory(shardDirs[i]));
    }
  }

  private Void write(Chip chip, boolean syncDirectory) {
    WipeableBuffer buffer = new WipeableBuffer(INITIAL_BUFFER);
    try {
      if (!fsync) {
        overwrite(chip, buffer);
        return null;
      }
      ChipCodec.encode(chip, buffer);
      AtomicFiles.replaceNoDirSync(fileOf(chip.eid()), buffer.array(), buffer.size(), fsync);
      if (syncDirectory && fsync) {
        // The rename is durable before save returns; concurrent saves share the directory sync.
        shardSyncs[shard(chip.eid())].sync();
      }
    } finally {
      buffer.wipe();
    }
    return null;
  }

  /**
   * Without fsync (a throwaway fleet): the chip's file is rewritten in place, padded to its
   * previous length, in one write. Creating, renaming over and unlinking a file per save cost the
   * kernel about 1.5 ms per load on ext4 (docs/euicc-simulator.md, section 2); an overwrite costs a
   * page cache copy. A consumed key's scalar is overwritten in the same file. A crash of the
   * process cannot tear a write within one page (chip files are about 1.8 KB); a longer file cut by
   * a crash mid-write fails its CRC at startup and is reported. Power loss may lose anything, as
   * before.
   */
  private void overwrite(Chip chip, WipeableBuffer buffer) {
    Path file = fileOf(chip.eid());
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ChipCodec.encode(chip, buffer, (int) Math.min(ch.size(), Integer.MAX_VALUE));
      ByteBuffer data = ByteBuffer.wrap(buffer.array(), 0, buffer.size());
      long position = 0;
      while (data.hasRemaining()) {
        position += ch.write(data, position);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Loads every chip, first deleting temporary files left by a crash and moving files of the flat
   * layout into their shards.
   */
  public List<Chip> loadAll() {
    migrateFlatLayout();
    List<Path> files = Collections.synchronizedList(new ArrayList<>());
    Arrays.stream(shardDirs).parallel().forEach(dir -> files.addAll(chipFiles(dir)));
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
                  Arrays.fill(bytes, (byte) 0);
                }
              } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p, e);
              }
            });
    return chips;
  }

  /** The chip files of one directory; temporary files of a crash are deleted. */
  private static List<Path> chipFiles(Path dir) {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : (Iterable<Path>) list::iterator) {
        String name = p.getFileName().toString();
        if (name.endsWith(AtomicFiles.TEMP_SUFFIX)) {
          Files.deleteIfExists(p);
        } else if (name.endsWith(SUFFIX) && Files.isRegularFile(p)) {
          files.add(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return files;
  }

  /**
   * Moves {@code chips/<EID>.chip} files (the layout before the shards) into their shards. A file
   * already present in its shard is newer (saves go to the shards only), so the flat one is then
   * dropped. Each move is an atomic rename; an interrupted migration resumes at the next start. A
   * file whose name is not an EID is no chip file of that layout: it is left where it is.
   */
  private void migrateFlatLayout() {
    List<Path> flat = chipFiles(chipsDir);
    if (flat.isEmpty()) {
      return;
    }
    Set<Integer> touched = new HashSet<>();
    for (Path p : flat) {
      String name = p.getFileName().toString();
      Optional<Eid> eid = Eid.tryParse(name.substring(0, name.length() - SUFFIX.length()));
      if (eid.isEmpty()) {
        continue;
      }
      int shard = shard(eid.get());
      Path target = shardDirs[shard].resolve(name);
      try {
        if (Files.exists(target)) {
          Files.delete(p);
        } else {
          Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
          touched.add(shard);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot move " + p + " into its shard", e);
      }
    }
    if (fsync) {
      touched.forEach(i -> AtomicFiles.forceDirectory(shardDirs[i]));
      AtomicFiles.forceDirectory(chipsDir);
    }
  }
}
