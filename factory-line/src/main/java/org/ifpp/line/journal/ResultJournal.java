package org.ifpp.line.journal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32C;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;

/**
 * A line's journal of its chips' signed results (IFPP.md section 4, step 5: the result is the
 * factory's only proof of an installation): an append-only file, one per line, written and fsync'ed
 * by the station before it hands the result on, so that a crash, a kill or a stop of the line
 * driver loses no result. A result the broker has answered is acknowledged (an unsynced record:
 * losing it only resends a result the broker answers again as it did the first time) and is no
 * longer sent, but it stays in the journal as delivered: the line's loading report (ESBPP03,
 * docs/orders.md) is written from it ({@link #recorded()}, {@link #read}). So does the line's
 * reason for a device that gave no result ({@link #noResult}). The file is compacted when it opens
 * and when answered records pile up: each delivered result then takes one record.
 *
 * <p>Records are text lines, each ending in its CRC-32C: {@code R <transactionId> <eid> I|F <base64
 * PIR> <crc>} (a result), {@code A <transactionId> <crc>} (answered by the broker), {@code D
 * <transactionId> <eid> I|F <base64 PIR> <crc>} (a delivered result, written by compaction) and
 * {@code N <eid> <reason> <crc>} (no result, with the line's reason) and {@code P <order> <crc>}
 * (the order's accepted loading report was pruned from the journal). A torn last record (a crash in
 * the middle of a write, before its fsync, so before any station relied on it) is cut off when the
 * journal opens. {@code <eid>} is the chip's 32-digit EID; a sound R, D or N record that names
 * something else (an older line took its chips unchecked) is kept in the file as it is and
 * otherwise ignored. Only public data is journalled ({@link JournalEntry}).
 *
 * <p>Thread-safe: the stations of a line append concurrently; one fsync covers every record written
 * before it (group commit), so stations that finish together share it.
 */
public final class ResultJournal implements AutoCloseable {

  /** Answered records beyond which the file is rewritten with only the unanswered ones. */
  static final int COMPACT_AFTER = 4096;

  private final Path file;
  private final Object writeLock = new Object();
  private final Object syncLock = new Object();
  private final Map<TransactionId, JournalEntry> pending = new LinkedHashMap<>();
  // Per EID, its latest signed result (pending or delivered), in the order they were journalled.
  private final Map<Eid, JournalEntry> latest = new LinkedHashMap<>();
  // Per EID, the line's latest reason for a device without a result.
  private final Map<Eid, NoResultReason> reasons = new LinkedHashMap<>();
  // Sound records (their CRC right) naming a chip by something that is not an EID: an older line
  // took its chips unchecked. Kept as they are, never sent, never in a report (whose chips are
  // EIDs).
  private final List<String> foreign = new ArrayList<>();
  // The orders whose accepted loading report was pruned from this journal (P records).
  private final Set<String> pruned = new LinkedHashSet<>();
  // Lock order: syncLock before writeLock, never the other way (rewrite holds both).
  private volatile FileChannel channel;
  private volatile long written;
  private volatile long synced;
  private int answered;

  private ResultJournal(Path file) {
    this.file = file;
  }

  /**
   * Opens (or creates) the journal of {@code line} in {@code directory}: reads what an earlier run
   * left unanswered, cuts off a torn last record, drops what the broker's accepted loading reports
   * carried ({@link AcceptedReports}: a delivered result of the same transaction, the same reason
   * for a device), and compacts the file.
   */
  public static ResultJournal open(Path directory, String line) {
    checkName(line);
    try {
      Files.createDirectories(directory);
      ResultJournal j = new ResultJournal(directory.resolve(line + ".journal"));
      synchronized (j.syncLock) {
        synchronized (j.writeLock) {
          j.load();
          j.prune(AcceptedReports.all(directory));
          j.rewrite();
        }
      }
      return j;
    } catch (IOException e) {
      throw new UncheckedIOException("journal of " + line + " in " + directory, e);
    }
  }

  private static void checkName(String line) {
    if (!line.matches("[A-Za-z0-9._-]{1,64}") || line.startsWith(".")) {
      throw new IllegalArgumentException("line name not usable as a file name: " + line);
    }
  }

  /** The journal's file. */
  public Path file() {
    return file;
  }

  /**
   * Appends a result: written to the file (it survives a crash or a kill of the process) but not
   * yet fsync'ed; {@link #sync()} makes it survive the machine too, and must come before the result
   * is sent. A result already journalled and unanswered (the same transactionId) is not written
   * twice.
   *
   * @throws UncheckedIOException when the result could not be written: the caller must not forget
   *     it
   */
  public void append(JournalEntry entry) {
    synchronized (writeLock) {
      if (!entry.equals(pending.get(entry.transactionId()))) {
        write(resultRecord("R ", entry));
        pending.put(entry.transactionId(), entry);
        latest.remove(entry.eid());
        latest.put(entry.eid(), entry);
      }
    }
  }

  /**
   * Makes every record written so far durable (fsync). Concurrent callers share one fsync (group
   * commit).
   *
   * @throws UncheckedIOException when the file could not be synced
   */
  public void sync() {
    sync(written);
  }

  /** {@link #append} and {@link #sync} in one. */
  public void appendDurably(JournalEntry entry) {
    append(entry);
    sync();
  }

  /**
   * Marks the result of {@code transactionId} answered by the broker: it is no longer resent. Not
   * fsync'ed (see the class comment).
   */
  public void acknowledge(TransactionId transactionId) {
    acknowledgeAll(List.of(transactionId));
  }

  /**
   * {@link #acknowledge} for the results of one answer of the broker (a group's report), written in
   * one write: a record each, not a system call each.
   */
  public void acknowledgeAll(Collection<TransactionId> transactionIds) {
    boolean compact;
    synchronized (writeLock) {
      ByteArrayOutputStream records = new ByteArrayOutputStream();
      int n = 0;
      for (TransactionId id : transactionIds) {
        if (pending.remove(id) != null) {
          records.writeBytes(record("A " + id.toHex()));
          n++;
        }
      }
      if (n == 0) {
        return;
      }
      write(records.toByteArray(), n);
      answered += n;
      // Rewriting costs a record per result kept: only once answers outnumber them.
      compact = answered >= COMPACT_AFTER && answered > latest.size() + reasons.size();
    }
    if (compact) {
      synchronized (syncLock) {
        synchronized (writeLock) {
          try {
            rewrite();
          } catch (IOException e) {
            throw new UncheckedIOException("compaction of " + file, e);
          }
        }
      }
    }
  }

  /**
   * Records the line's reason why device {@code eid} gave no signed result (the chip unreachable,
   * damaged, removed, or not attempted: the loading report's {@code NO_RESULT} entries). Written,
   * not fsync'ed: a reason is the line's claim, and a lost one reads as not attempted. A signed
   * result of the device, journalled before or after, counts over any reason.
   */
  public void noResult(Eid eid, NoResultReason reason) {
    if (eid == null || reason == null) {
      throw new IllegalArgumentException("an EID and a reason");
    }
    synchronized (writeLock) {
      if (reason != reasons.get(eid)) {
        write(record("N " + eid.value() + " " + reason.name()));
        reasons.put(eid, reason);
      }
    }
  }

  /**
   * What the journal holds for the loading report: per EID its latest signed result (delivered or
   * not) and the line's reasons for devices without one.
   *
   * @param results by EID, the latest signed result
   * @param reasons by EID, the line's latest reason for no result
   */
  public record Recorded(Map<Eid, JournalEntry> results, Map<Eid, NoResultReason> reasons) {
    public Recorded {
      results = Map.copyOf(results);
      reasons = Map.copyOf(reasons);
    }
  }

  /** What this journal holds now (see {@link Recorded}). */
  public Recorded recorded() {
    synchronized (writeLock) {
      return new Recorded(latest, reasons);
    }
  }

  /**
   * Reads the journal of {@code line} in {@code directory} without changing it (a running line may
   * hold it open): what a loading report made on demand reads. A torn or damaged tail is ignored,
   * as at open.
   */
  public static Recorded read(Path directory, String line) {
    checkName(line);
    ResultJournal j = new ResultJournal(directory.resolve(line + ".journal"));
    try {
      j.load();
    } catch (IOException e) {
      throw new UncheckedIOException("journal of " + line + " in " + directory, e);
    }
    return j.recorded();
  }

  /** The names of the lines with a journal in {@code directory}, sorted. */
  public static List<String> lines(Path directory) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (var files = Files.list(directory)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".journal") && !n.startsWith("."))
          .map(n -> n.substring(0, n.length() - ".journal".length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + directory, e);
    }
  }

  /** The journalled results the broker has not answered yet, oldest first. */
  public List<JournalEntry> pending() {
    synchronized (writeLock) {
      return new ArrayList<>(pending.values());
    }
  }

  @Override
  public void close() {
    synchronized (syncLock) {
      synchronized (writeLock) {
        try {
          if (channel != null && channel.isOpen()) {
            channel.force(false);
            channel.close();
          }
        } catch (IOException e) {
          throw new UncheckedIOException("closing " + file, e);
        }
      }
    }
  }

  private void write(byte[] record) {
    write(record, 1);
  }

  private void write(byte[] records, int count) {
    try {
      WholeFile.writeFully(channel, records);
      written += count;
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file, e);
    }
  }

  /** Group commit: one fsync covers every record written before it started. */
  private void sync(long upTo) {
    if (synced >= upTo) {
      return;
    }
    synchronized (syncLock) {
      if (synced >= upTo) {
        return;
      }
      // Records count as written once their bytes are in the channel: reading the count first,
      // the fsync below covers at least those.
      long target = written;
      try {
        channel.force(false);
      } catch (IOException e) {
        throw new UncheckedIOException("fsync of " + file, e);
      }
      synced = Math.max(synced, target);
    }
  }

  private void load() throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    byte[] all = Files.readAllBytes(file);
    int at = 0;
    while (at < all.length) {
      int nl = indexOf(all, (byte) '\n', at);
      if (nl < 0) {
        break; // torn last record: never synced, never relied on
      }
      String line = new String(all, at, nl - at, StandardCharsets.US_ASCII);
      if (!apply(line)) {
        break; // a damaged record: nothing after it is trusted either
      }
      at = nl + 1;
    }
  }

  private boolean apply(String line) {
    int sp = line.lastIndexOf(' ');
    if (sp < 0) {
      return false;
    }
    String body = line.substring(0, sp);
    if (!line.substring(sp + 1).equals(crc(body))) {
      return false;
    }
    String[] f = body.split(" ");
    try {
      if ((f[0].equals("R") || f[0].equals("D")) && f.length == 5) {
        TransactionId tx = TransactionId.fromHex(f[1]);
        Optional<Eid> eid = Eid.tryParse(f[2]);
        if (eid.isEmpty()) { // a foreign record
          foreign.add(body);
          return true;
        }
        JournalEntry e =
            new JournalEntry(tx, eid.get(), f[3].equals("I"), Base64.getDecoder().decode(f[4]));
        if (f[0].equals("R")) {
          pending.put(e.transactionId(), e);
        }
        latest.remove(e.eid());
        latest.put(e.eid(), e);
        return true;
      }
      if (f[0].equals("A") && f.length == 2) {
        pending.remove(TransactionId.fromHex(f[1]));
        return true;
      }
      if (f[0].equals("P") && f.length == 2) {
        pruned.add(f[1]);
        return true;
      }
      if (f[0].equals("N") && f.length == 3) {
        NoResultReason reason = NoResultReason.valueOf(f[2]);
        Optional<Eid> eid = Eid.tryParse(f[1]);
        if (eid.isEmpty()) { // a foreign record
          foreign.add(body);
        } else {
          reasons.put(eid.get(), reason);
        }
        return true;
      }
    } catch (IllegalArgumentException e) {
      return false;
    }
    return false;
  }

  /**
   * Drops what each accepted report not yet pruned here carried: a device's delivered result of the
   * same transaction (never an unanswered one, never a later result of the device) and a reason the
   * report gave as is. Called before the journal is shared.
   */
  private void prune(List<AcceptedReports.Accepted> accepted) {
    for (AcceptedReports.Accepted a : accepted) {
      if (!pruned.add(a.order().toString())) {
        continue;
      }
      a.recorded()
          .results()
          .forEach(
              (eid, reported) -> {
                JournalEntry e = latest.get(eid);
                if (e != null
                    && e.transactionId().equals(reported.transactionId())
                    && pending.get(e.transactionId()) != e) {
                  latest.remove(eid);
                }
              });
      a.recorded().reasons().forEach((eid, reason) -> reasons.remove(eid, reason));
    }
  }

  /**
   * Writes a new file, fsync'ed, and moves it over the journal: the foreign records as they were,
   * the unanswered results (R), each device's latest delivered result (D) and the line's reasons
   * (N), in an order that reads back the same. Called with both locks held, or before the journal
   * is shared.
   */
  private void rewrite() throws IOException {
    List<byte[]> records = new ArrayList<>();
    foreign.forEach(body -> records.add(record(body)));
    for (JournalEntry e : pending.values()) {
      if (latest.get(e.eid()) != e) {
        records.add(resultRecord("R ", e)); // superseded by a later result, still unanswered
      }
    }
    for (JournalEntry e : latest.values()) {
      records.add(resultRecord(pending.get(e.transactionId()) == e ? "R " : "D ", e));
    }
    reasons.forEach((eid, reason) -> records.add(record("N " + eid.value() + " " + reason.name())));
    pruned.forEach(order -> records.add(record("P " + order)));
    WholeFile.write(
        file,
        out -> {
          for (byte[] r : records) {
            WholeFile.writeFully(out, r);
          }
          if (channel != null) {
            channel.close(); // the old file's appender, before the new file moves over it
          }
        });
    channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    answered = 0;
    synced = written;
  }

  private static byte[] resultRecord(String kind, JournalEntry e) {
    return record(
        kind
            + e.transactionId().toHex()
            + " "
            + e.eid().value()
            + " "
            + (e.installed() ? "I" : "F")
            + " "
            + Base64.getEncoder().encodeToString(e.pir()));
  }

  private static byte[] record(String body) {
    return (body + " " + crc(body) + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static String crc(String body) {
    CRC32C c = new CRC32C();
    c.update(body.getBytes(StandardCharsets.US_ASCII));
    // %08x without java.util.Formatter, which parsed the pattern again for every record.
    return HexFormat.of().toHexDigits((int) c.getValue());
  }

  private static int indexOf(byte[] b, byte v, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == v) {
        return i;
      }
    }
    return -1;
  }
}
