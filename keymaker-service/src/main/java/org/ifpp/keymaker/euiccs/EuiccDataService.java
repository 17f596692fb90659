package org.ifpp.keymaker.euiccs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.euiccdata.EuiccData;
import org.ifpp.crypto.euiccdata.EuiccDataVerification;
import org.ifpp.crypto.euiccdata.EuiccDataVerifier;
import org.ifpp.crypto.euiccdata.SignedOneTimePublicKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.pki.EuiccChainValidator;
import org.ifpp.crypto.pki.TrustAnchors;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.web.DomainException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports eUICC data (DPFF10): every record is verified with {@link EuiccDataVerifier} (chain to a
 * trusted CI, EID in the EUM's range and equal to the certificate's, every one-time key signed by
 * the eUICC, no duplicate key or index); each chip is accepted or rejected on its own, with the
 * rejection's code, and nothing of a rejected chip is stored. Accepted keys become AVAILABLE
 * binding targets.
 */
@Service
public class EuiccDataService {

  private final EuiccDataVerifier verifier;
  private final EuiccRegistry registry;
  private final TransactionTemplate tx;
  private final AuditLog audit;

  public EuiccDataService(
      TrustProperties trust,
      EuiccRegistry registry,
      TransactionTemplate tx,
      Clock clock,
      AuditLog audit) {
    this.verifier =
        new EuiccDataVerifier(new EuiccChainValidator(anchors(trust.ciCertificates()), clock));
    this.registry = registry;
    this.tx = tx;
    this.audit = audit;
  }

  private static TrustAnchors anchors(List<Path> files) {
    List<byte[]> ders = new ArrayList<>();
    for (Path p : files) {
      try {
        ders.add(Files.readAllBytes(p));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read trust anchor " + p, e);
      }
    }
    return TrustAnchors.fromDer(ders);
  }

  /** One chip as filed in a request: the EID it is filed under (may be null) and its DER. */
  public record Filed(String eid, byte[] der) {}

  /**
   * The outcome for one chip (docs/euicc-data-format.md section 4).
   *
   * @param status ACCEPTED or REJECTED
   * @param code the {@code EuiccDataRejection} name when rejected
   */
  @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  public record ChipResult(
      String eid,
      String status,
      Integer oneTimeKeys,
      String code,
      Integer keyIndex,
      String detail,
      @com.fasterxml.jackson.annotation.JsonIgnore boolean registeredBefore) {
    static ChipResult accepted(String eid, int keys) {
      return new ChipResult(eid, "ACCEPTED", keys, null, null, null, false);
    }

    static ChipResult rejected(String eid, String code, Integer keyIndex, String detail) {
      return new ChipResult(eid, "REJECTED", null, code, keyIndex, detail, false);
    }

    /**
     * True for a chip whose data verified (every DPFF10 check passed) and whose EID was registered
     * by an earlier import: an import refuses it ({@code DUPLICATE_EID}), a package request binds
     * it with its registered keys.
     */
    public boolean verifiedAndRegisteredBefore() {
      return registeredBefore;
    }
  }

  /** The answer to an import. */
  public record ImportResult(int accepted, int rejected, List<ChipResult> results) {}

  /** Chips per database step: verification of the next chunks overlaps the step. */
  static final int CHUNK = 100;

  /**
   * Verifies every chip (DPFF10) and stores the accepted ones as binding targets; each chip is
   * accepted or rejected on its own, with the rejection's code. Bad input is a per-chip rejection,
   * never a 500.
   *
   * <p>The chips are verified in parallel (each distinct EUM certificate once) while, in one
   * transaction and in request order, each chunk of {@value #CHUNK} verified chips is checked
   * against the earlier accepted chips of the request and the registered ones (a chip whose EID or
   * one-time key appeared in either is rejected) and the rest are stored with set-based statements;
   * one audit record covers the request. Should a concurrent import register one of them in between
   * (a unique violation), the transaction rolls back whole and the accepted chips are stored again
   * one transaction each, as they arrive.
   */
  public ImportResult importAll(String actor, List<Filed> chips) {
    if (chips.isEmpty()) {
      throw new DomainException(KeymakerError.EMPTY_IMPORT, "at least one eUICC data record");
    }
    int n = chips.size();
    Verification verification = new Verification(verifier.batch(), chips);
    verification.start();
    ChipResult[] results;
    try {
      results = tx.execute(s -> store(actor, verification));
    } catch (DuplicateKeyException raced) {
      results = oneByOne(actor, verification.awaitThrough(n));
    } finally {
      verification.cancel();
    }
    int accepted = 0;
    for (ChipResult r : results) {
      if ("ACCEPTED".equals(r.status())) {
        accepted++;
      }
    }
    if (accepted < n) {
      recordRejections(actor, accepted, results);
    }
    return new ImportResult(accepted, n - accepted, List.of(results));
  }

  /** At most this many rejected chips are named in the audit record of an import. */
  static final int REJECTIONS_RECORDED = 50;

  /**
   * An import's rejected chips, kept in the audit log for the import history ({@code
   * EUICC_DATA_REJECTED}): the counts, the codes, and the first rejected chips as {@code EID:CODE}
   * (EIDs and codes only; nothing of a rejected chip's data is stored).
   */
  private void recordRejections(String actor, int accepted, ChipResult[] results) {
    java.util.Map<String, Integer> codes = new java.util.TreeMap<>();
    StringBuilder items = new StringBuilder();
    String first = null;
    int named = 0;
    for (ChipResult r : results) {
      if ("REJECTED".equals(r.status())) {
        String eid = r.eid() != null && r.eid().matches("[0-9]{32}") ? r.eid() : "-";
        first = first == null ? eid : first;
        codes.merge(r.code(), 1, Integer::sum);
        if (named++ < REJECTIONS_RECORDED) {
          items.append(items.isEmpty() ? "" : " ").append(eid).append(':').append(r.code());
        }
      }
    }
    StringBuilder byCode = new StringBuilder();
    codes.forEach(
        (code, count) ->
            byCode.append(byCode.isEmpty() ? "" : " ").append(code).append('=').append(count));
    String subject = first;
    int rejected = named;
    tx.executeWithoutResult(
        s ->
            audit.append(
                AuditRecord.of(
                    actor,
                    "EUICC_DATA_REJECTED",
                    subject,
                    "accepted",
                    Integer.toString(accepted),
                    "rejected",
                    Integer.toString(rejected),
                    "codes",
                    byCode.toString(),
                    "items",
                    items.toString())));
  }

  /** In the caller's transaction: each chunk stored as soon as it is verified; one audit record. */
  private ChipResult[] store(String actor, Verification verification) {
    int n = verification.size();
    ChipResult[] out = new ChipResult[n];
    Set<String> eids = new HashSet<>();
    Set<EcPublicKey> points = new HashSet<>();
    List<EuiccRegistry.VerifiedEuicc> stored = new ArrayList<>();
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
      Object[] checked = verification.awaitThrough(to);
      List<EuiccRegistry.VerifiedEuicc> verified = new ArrayList<>();
      for (int i = from; i < to; i++) {
        if (checked[i] instanceof EuiccRegistry.VerifiedEuicc v) {
          verified.add(v);
        }
      }
      EuiccRegistry.Known known = registry.known(verified);
      List<EuiccRegistry.VerifiedEuicc> accepted = new ArrayList<>();
      crossCheck(checked, from, to, known, eids, points, accepted, out);
      registry.insert(accepted);
      stored.addAll(accepted);
    }
    registry.audit(actor, stored);
    return out;
  }

  /**
   * The chips of one import verified in parallel, in request order as far as possible: helpers of
   * the common pool and the request's own thread (while it waits for a chunk) take the next chip
   * from one cursor. {@link #awaitThrough} hands the verified prefix to the database step.
   */
  private static final class Verification {
    private final EuiccDataVerifier.Batch batch;
    private final List<Filed> chips;
    private final Object[] checked;
    private final AtomicInteger cursor = new AtomicInteger();
    private final int[] pendingPerChunk;
    private Throwable failure;

    Verification(EuiccDataVerifier.Batch batch, List<Filed> chips) {
      this.batch = batch;
      this.chips = chips;
      this.checked = new Object[chips.size()];
      this.pendingPerChunk = new int[(chips.size() + CHUNK - 1) / CHUNK];
      for (int c = 0; c < pendingPerChunk.length; c++) {
        pendingPerChunk[c] = Math.min(CHUNK, chips.size() - c * CHUNK);
      }
    }

    int size() {
      return checked.length;
    }

    /** Starts the helpers: as many as the common pool runs at once, none for a single chip. */
    void start() {
      int helpers = Math.min(ForkJoinPool.getCommonPoolParallelism(), checked.length - 1);
      for (int h = 0; h < helpers; h++) {
        ForkJoinPool.commonPool().execute(this::work);
      }
    }

    /** Stops handing out chips (after a failure of the request): helpers end after their chip. */
    void cancel() {
      cursor.set(checked.length);
    }

    private void work() {
      while (verifyNext()) {
        // one chip per turn
      }
    }

    /** Verifies the next chip not yet taken; false when none is left. */
    private boolean verifyNext() {
      int i = cursor.getAndIncrement();
      if (i >= checked.length) {
        return false;
      }
      Object result;
      Throwable failed = null;
      try {
        result = check(batch, chips.get(i));
      } catch (RuntimeException | Error e) { // a bug, not bad input: fails the request
        result = null;
        failed = e;
      }
      synchronized (this) {
        checked[i] = result;
        if (failed != null && failure == null) {
          failure = failed;
        }
        if (--pendingPerChunk[i / CHUNK] == 0) {
          notifyAll();
        }
      }
      return true;
    }

    /**
     * Every chip before {@code to} (a chunk boundary or the end) verified, the calling thread
     * verifying chips itself while any is left; returns the results, indexed as the request.
     */
    Object[] awaitThrough(int to) {
      int lastChunk = (to - 1) / CHUNK;
      while (!verifiedThrough(lastChunk)) {
        if (!verifyNext()) {
          waitFor(lastChunk);
        }
      }
      synchronized (this) {
        if (failure != null) {
          throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
        }
        return checked;
      }
    }

    private synchronized boolean verifiedThrough(int lastChunk) {
      for (int c = 0; c <= lastChunk; c++) {
        if (pendingPerChunk[c] != 0) {
          return false;
        }
      }
      return true;
    }

    private synchronized void waitFor(int lastChunk) {
      while (!verifiedThrough(lastChunk)) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while verifying eUICC data", e);
        }
      }
    }
  }

  /** A chip's own checks: a {@link ChipResult} when rejected, else its VerifiedEuicc. */
  private static Object check(EuiccDataVerifier.Batch batch, Filed f) {
    EuiccDataVerification v;
    if (f.eid() != null) {
      Eid filed;
      try {
        filed = Eid.of(f.eid());
      } catch (IllegalArgumentException e) {
        return ChipResult.rejected(f.eid(), "EID_MISMATCH", null, "the filed EID is not valid");
      }
      v = batch.verify(filed, f.der());
    } else {
      v = batch.verify(f.der());
    }
    if (v instanceof EuiccDataVerification.Rejected r) {
      return ChipResult.rejected(
          r.eid().map(Object::toString).orElse(null),
          r.reason().name(),
          r.keyIndex().isPresent() ? r.keyIndex().getAsInt() : null,
          r.detail());
    }
    EuiccDataVerification.Accepted a = (EuiccDataVerification.Accepted) v;
    EuiccData d = a.data();
    List<EuiccRegistry.IndexedKey> indexed = new ArrayList<>();
    for (SignedOneTimePublicKey k : d.oneTimeKeys()) {
      indexed.add(new EuiccRegistry.IndexedKey(k.keyIndex(), k.publicKey()));
    }
    return new EuiccRegistry.VerifiedEuicc(
        d.eid(),
        a.euiccKey().curve(),
        d.euiccCertificate(),
        d.eumCertificate(),
        indexed,
        d.euiccInfo2().map(org.ifpp.crypto.euiccdata.EuiccInfo2::encoded).orElse(null));
  }

  /**
   * In request order, for the chips {@code from} to {@code to}: rejects a verified chip whose EID
   * or one-time key appeared in an earlier accepted chip of the request ({@code eids}, {@code
   * points}, which grow with each accepted chip), or is registered already ({@code known});
   * collects the others in {@code accepted}.
   */
  private static void crossCheck(
      Object[] checked,
      int from,
      int to,
      EuiccRegistry.Known known,
      Set<String> eids,
      Set<EcPublicKey> points,
      List<EuiccRegistry.VerifiedEuicc> accepted,
      ChipResult[] out) {
    for (int i = from; i < to; i++) {
      if (checked[i] instanceof ChipResult rejected) {
        out[i] = rejected;
        continue;
      }
      EuiccRegistry.VerifiedEuicc chip = (EuiccRegistry.VerifiedEuicc) checked[i];
      ChipResult earlier = againstEarlier(chip, eids, points);
      if (earlier != null) {
        out[i] = earlier;
      } else if (known.eid(chip)) {
        out[i] = importedBefore(chip, true);
      } else if (known.anyKey(chip)) {
        out[i] = importedBefore(chip, false);
      } else {
        accepted.add(chip);
        eids.add(chip.eid().value());
        chip.oneTimeKeys().forEach(k -> points.add(k.key()));
        out[i] = ChipResult.accepted(chip.eid().value(), chip.oneTimeKeys().size());
      }
    }
  }

  private static ChipResult againstEarlier(
      EuiccRegistry.VerifiedEuicc chip, Set<String> eids, Set<EcPublicKey> points) {
    String eid = chip.eid().value();
    if (eids.contains(eid)) {
      return ChipResult.rejected(eid, "DUPLICATE_EID", null, "EID repeats in the request");
    }
    for (EuiccRegistry.IndexedKey k : chip.oneTimeKeys()) {
      if (points.contains(k.key())) {
        return ChipResult.rejected(
            eid, "DUPLICATE_ONE_TIME_KEY", k.index(), "one-time key of an earlier chip");
      }
    }
    return null;
  }

  private static ChipResult importedBefore(EuiccRegistry.VerifiedEuicc chip, boolean eid) {
    return new ChipResult(
        chip.eid().value(),
        "REJECTED",
        null,
        eid ? "DUPLICATE_EID" : "DUPLICATE_ONE_TIME_KEY",
        null,
        eid ? "this EID was imported before" : "a one-time key was imported before",
        eid);
  }

  /** After a race with a concurrent import: each accepted chip in its own transaction. */
  private ChipResult[] oneByOne(String actor, Object[] checked) {
    ChipResult[] out = new ChipResult[checked.length];
    Set<String> eids = new HashSet<>();
    Set<EcPublicKey> points = new HashSet<>();
    for (int i = 0; i < checked.length; i++) {
      if (checked[i] instanceof ChipResult rejected) {
        out[i] = rejected;
        continue;
      }
      EuiccRegistry.VerifiedEuicc chip = (EuiccRegistry.VerifiedEuicc) checked[i];
      ChipResult earlier = againstEarlier(chip, eids, points);
      if (earlier != null) {
        out[i] = earlier;
        continue;
      }
      try {
        tx.executeWithoutResult(s -> registry.register(actor, List.of(chip)));
      } catch (DuplicateKeyException e) {
        out[i] = importedBefore(chip, registry.find(chip.eid()).isPresent());
        continue;
      }
      eids.add(chip.eid().value());
      chip.oneTimeKeys().forEach(k -> points.add(k.key()));
      out[i] = ChipResult.accepted(chip.eid().value(), chip.oneTimeKeys().size());
    }
    return out;
  }
}
