package org.ifpp.keymaker.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The append-only, hash-chained audit log (fail-closed). Every append runs inside the caller's
 * transaction ({@link Propagation#MANDATORY}): the audited change and its record commit together,
 * and if the record cannot be written the change rolls back with it.
 *
 * <p>Record {@code n} carries {@code hash_n = SHA-256(hash_{n-1} || canonical(record_n))}; the
 * single-row {@code audit_head} holds the last sequence number and hash and is locked by each
 * append, so sequence numbers have no gaps and appends are totally ordered. {@link #verify()}
 * recomputes the chain: a modified row breaks its own hash, a deleted row leaves a gap, a deleted
 * tail disagrees with the head. (Someone able to rewrite the whole chain and the head is caught
 * only by an external anchor: publish {@link #head()} regularly; see docs/keymaker-design.md.)
 */
@Service
public class AuditLog {

  private final AuditRepository rows;

  AuditLog(AuditRepository rows) {
    this.rows = rows;
  }

  /** Appends one record in the current transaction. */
  @Transactional(propagation = Propagation.MANDATORY)
  public long append(AuditRecord record) {
    return appendAll(List.of(record));
  }

  /** Appends records in order in the current transaction; returns the last sequence number. */
  @Transactional(propagation = Propagation.MANDATORY)
  public long appendAll(List<AuditRecord> records) {
    Head head = rows.lockHead();
    long seq = head.seq();
    byte[] prev = head.hash();
    Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
    List<AuditRepository.Row> out = new ArrayList<>(records.size());
    for (AuditRecord r : records) {
      seq++;
      byte[] hash = chain(prev, seq, at, r);
      out.add(new AuditRepository.Row(seq, at, r, prev, hash));
      prev = hash;
    }
    rows.insertAll(out);
    rows.moveHead(seq, prev);
    return seq;
  }

  /** The last sequence number and hash (an anchor worth publishing outside the database). */
  @Transactional(readOnly = true)
  public Head head() {
    return rows.head();
  }

  /** The chain head. */
  public record Head(long seq, byte[] hash) {}

  /** The stored hash of record {@code seq} (empty if there is no such record). */
  @Transactional(readOnly = true)
  public java.util.Optional<byte[]> hashAt(long seq) {
    return rows.hashAt(seq);
  }

  /** The outcome of {@link #verify()}. */
  public record Verification(boolean intact, long records, Long firstBadSeq, String problem) {
    static Verification ok(long n) {
      return new Verification(true, n, null, null);
    }

    static Verification broken(long n, long seq, String problem) {
      return new Verification(false, n, seq, problem);
    }
  }

  /**
   * Recomputes the whole chain and compares it with the head, both read in one snapshot (repeatable
   * read): a record appended meanwhile is in neither, never in the rows but not the head.
   */
  @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
  public Verification verify() {
    Head head = head();
    long[] expected = {1};
    byte[][] prev = {new byte[32]};
    Verification[] bad = {null};
    long[] count = {0};
    rows.forEach(
        row -> {
          if (bad[0] != null) {
            return;
          }
          long seq = row.seq();
          count[0]++;
          if (seq != expected[0]) {
            bad[0] = Verification.broken(count[0], expected[0], "missing record");
            return;
          }
          AuditRecord r;
          try {
            r =
                new AuditRecord(
                    row.actor(), row.action(), row.subject(), parseDetails(row.details()));
          } catch (RuntimeException e) {
            bad[0] = Verification.broken(count[0], seq, "record modified");
            return;
          }
          byte[] hash = chain(prev[0], seq, row.at(), r);
          if (!MessageDigest.isEqual(row.prevHash(), prev[0])) {
            bad[0] = Verification.broken(count[0], seq, "chain link broken");
          } else if (!MessageDigest.isEqual(hash, row.hash())
              || !details(r.details()).equals(row.details())) {
            bad[0] = Verification.broken(count[0], seq, "record modified");
          }
          prev[0] = row.hash();
          expected[0] = seq + 1;
        });
    if (bad[0] != null) {
      return bad[0];
    }
    if (head.seq() != expected[0] - 1 || !MessageDigest.isEqual(head.hash(), prev[0])) {
      return Verification.broken(count[0], expected[0], "records missing at the end");
    }
    return Verification.ok(count[0]);
  }

  static byte[] chain(byte[] prev, long seq, Instant at, AuditRecord r) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(prev);
      sha.update(canonical(seq, at, r).getBytes(StandardCharsets.UTF_8));
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Length-prefixed fields, so no two different records share an encoding. */
  static String canonical(long seq, Instant at, AuditRecord r) {
    StringBuilder b = new StringBuilder();
    field(b, Long.toString(seq));
    field(b, Long.toString(at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000));
    field(b, r.actor());
    field(b, r.action());
    field(b, r.subject());
    field(b, details(r.details()));
    return b.toString();
  }

  private static void field(StringBuilder b, String v) {
    String s = v == null ? "" : v;
    b.append(s.length()).append(':').append(s).append(';');
  }

  /** Details as sorted, length-prefixed key=value pairs (canonical and easy to parse back). */
  static String details(Map<String, String> details) {
    StringBuilder b = new StringBuilder();
    new java.util.TreeMap<>(details)
        .forEach(
            (k, v) -> {
              field(b, k);
              field(b, v);
            });
    return b.toString();
  }

  /**
   * A record's stored details (as {@code audit_log.details} holds them) back as key/value pairs.
   */
  public static Map<String, String> parseDetails(String s) {
    Map<String, String> out = new java.util.TreeMap<>();
    int i = 0;
    List<String> parts = new ArrayList<>();
    while (i < s.length()) {
      int colon = s.indexOf(':', i);
      int len = Integer.parseInt(s.substring(i, colon));
      parts.add(s.substring(colon + 1, colon + 1 + len));
      i = colon + 1 + len + 1;
    }
    for (int k = 0; k + 1 < parts.size(); k += 2) {
      out.put(parts.get(k), parts.get(k + 1));
    }
    return out;
  }
}
