package org.ifpp.keymaker.results;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.pir.InstallationOutcome;
import org.ifpp.crypto.pir.PirVerification;
import org.ifpp.crypto.pir.PirVerifier;
import org.ifpp.crypto.pir.ProfileInstallationResult;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.ifpp.keymaker.binding.BindingRebinder;
import org.ifpp.keymaker.results.ResultRepository.Row;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reconciles installation results (IFPP.md section 4 step 7, DPFF05-07). The factory is untrusted
 * and the broker keeps every result a line reports, so a package may come back several times, false
 * ones included; each result must be signed by the eUICC the package was bound to (key from its
 * stored, DPFF10-verified certificate) and name the binding's transactionId, or it is rejected,
 * audited, and changes nothing.
 *
 * <p>What a verified result does:
 *
 * <ul>
 *   <li>a success is final, whatever came before it: the binding and the profile become INSTALLED.
 *       If an earlier verified failure (or the operator) had already given the binding up and the
 *       profile was re-bound, that re-binding is superseded: ABANDONED, and its package withdrawn
 *       from the outbox if not yet sent. A re-binding already sent to the broker cannot be called
 *       back, but it cannot install the profile a second time either: it is bound to the same chip,
 *       which refuses a profile whose ICCID it already holds (SGP.22 error 9), and a result for an
 *       ABANDONED binding changes nothing;
 *   <li>a failure marks a BOUND binding FAILED and re-plans the profile on another one-time key of
 *       the same chip (bounded); it never undoes a success;
 *   <li>a repeat, or a failure after the binding was decided, changes nothing (DUPLICATE).
 * </ul>
 */
@Service
public class ResultService {

  private final ResultRepository repository;
  private final AuditLog audit;
  private final BindingRebinder rebinder;

  public ResultService(ResultRepository repository, AuditLog audit, BindingRebinder rebinder) {
    this.repository = repository;
    this.audit = audit;
    this.rebinder = rebinder;
  }

  /**
   * One reported result as it entered, its ids parsed there ({@link #of}): a {@link Claim}, or,
   * when an id the untrusted reporter sent does not parse, an {@link Unreadable} item refused on
   * its own (audited with its code) while the rest of its page goes on.
   */
  public sealed interface Reported permits Claim, Unreadable {

    /**
     * Parses what a reporter sent.
     *
     * @param transactionId the hex the reporter sent
     * @param eid the EID it names, or null when it names none
     * @param pir the signed result (BF37)
     */
    static Reported of(String transactionId, String eid, byte[] pir) {
      TransactionId tx;
      try {
        tx = TransactionId.fromHex(transactionId);
      } catch (IllegalArgumentException e) {
        return new Unreadable(String.valueOf(transactionId), "invalid-transaction-id");
      }
      if (eid == null) {
        return new Claim(tx, null, pir);
      }
      try {
        return new Claim(tx, Eid.of(eid), pir);
      } catch (IllegalArgumentException e) {
        return new Unreadable(tx.toHex(), "invalid-eid");
      }
    }
  }

  /** A result about {@code transactionId}, of the chip {@code eid} (null: not named). */
  public record Claim(TransactionId transactionId, Eid eid, byte[] pir) implements Reported {}

  /** A result whose ids do not parse: refused with {@code code}, what was sent kept as text. */
  public record Unreadable(String transactionId, String code) implements Reported {}

  /** What happened to one result. */
  public record ItemOutcome(String transactionId, String outcome, String code) {}

  /** Processes results in one transaction. */
  @Transactional
  public List<ItemOutcome> process(String actor, List<Reported> items) {
    List<TransactionId> ids = new ArrayList<>(items.size());
    for (Reported r : items) {
      if (r instanceof Claim c) {
        ids.add(c.transactionId());
      }
    }
    Map<String, Row> rows = new HashMap<>();
    repository.lockBindings(ids, rows);
    // A success for a binding given up may supersede its profile's re-binding: lock those now,
    // before the page writes anything (and holds the audit chain's head).
    List<Long> givenUp = new ArrayList<>();
    for (Row b : rows.values()) {
      if ("FAILED".equals(b.state) || "ABANDONED".equals(b.state)) {
        givenUp.add(b.profileId);
      }
    }
    repository.lockLiveBindings(givenUp);
    Page page = new Page(actor, rows);
    List<ItemOutcome> out = new ArrayList<>(items.size());
    for (Reported r : items) {
      out.add(
          r instanceof Claim c
              ? processOne(page, c)
              : reject(page, ((Unreadable) r).transactionId(), ((Unreadable) r).code()));
    }
    page.flush();
    return out;
  }

  /**
   * One page's pending writes: the bindings and profiles to mark INSTALLED and the audit records,
   * written together (one statement each, one audit append) at the end of the page or before a
   * re-plan, always in the page's transaction, so a failed audit write still fails the whole page.
   */
  private final class Page {
    final String actor;
    final Map<String, Row> rows;
    final List<Long> installedBindings = new ArrayList<>();
    final List<Long> installedProfiles = new ArrayList<>();
    final List<AuditRecord> records = new ArrayList<>();

    Page(String actor, Map<String, Row> rows) {
      this.actor = actor;
      this.rows = rows;
    }

    void flush() {
      if (!installedBindings.isEmpty()) {
        repository.markInstalled(installedBindings, installedProfiles);
        installedBindings.clear();
        installedProfiles.clear();
      }
      if (!records.isEmpty()) {
        audit.appendAll(List.copyOf(records));
        records.clear();
      }
    }
  }

  private ItemOutcome processOne(Page page, Claim r) {
    TransactionId tx = r.transactionId();
    String txHex = tx.toHex();
    Row b = page.rows.get(txHex);
    if (b == null) {
      return reject(page, txHex, "unknown-transaction");
    }
    if (r.eid() != null && !r.eid().value().equals(b.eid)) {
      return reject(page, txHex, "eid-mismatch");
    }
    EcPublicKey key;
    try {
      key = EcPublicKey.fromJca(certificate(b.euiccCertificate).getPublicKey());
    } catch (CertificateException | IllegalArgumentException e) {
      return reject(page, txHex, "euicc-certificate-unusable");
    }
    PirVerification v = PirVerifier.verify(r.pir() == null ? new byte[0] : r.pir(), key);
    if (!(v instanceof PirVerification.Verified verified)) {
      return reject(page, txHex, "invalid-result");
    }
    ProfileInstallationResult result = verified.result().result();
    if (!result.transactionId().equals(tx)) {
      return reject(page, txHex, "transaction-id-mismatch");
    }
    if (result.iccid().isPresent() && !result.iccid().get().value().equals(b.iccid)) {
      return reject(page, txHex, "iccid-mismatch");
    }
    boolean givenUp = "FAILED".equals(b.state) || "ABANDONED".equals(b.state);
    if (result.isSuccess() && givenUp) {
      return installedAfterAll(page, b, txHex);
    }
    if (!"BOUND".equals(b.state)) {
      // Already decided (a repeat, or a failure after a success) or no longer live.
      return new ItemOutcome(txHex, "DUPLICATE", b.state);
    }
    if (result.isSuccess()) {
      installed(page, b, txHex, "BOUND");
      return new ItemOutcome(txHex, "INSTALLED", "ok");
    }
    String reason =
        result.outcome() instanceof InstallationOutcome.ErrorResult err
            ? String.valueOf(err.errorReason())
            : "error";
    b.state = "FAILED";
    repository.markFailed(b.id, reason);
    page.records.add(
        AuditRecord.of(page.actor, "RESULT_FAILED", txHex, "eid", b.eid, "reason", reason));
    // The re-plan reads and writes bindings and appends its own audit records: everything before
    // it is written first, so the audit chain keeps the order of events.
    page.flush();
    boolean replanned = rebinder.replan(b.id, page.actor);
    return new ItemOutcome(txHex, replanned ? "FAILED_REBINDING" : "FAILED", reason);
  }

  private void installed(Page page, Row b, String txHex, String before) {
    b.state = "INSTALLED";
    page.installedBindings.add(b.id);
    page.installedProfiles.add(b.profileId);
    page.records.add(
        "BOUND".equals(before)
            ? AuditRecord.of(page.actor, "RESULT_INSTALLED", txHex, "eid", b.eid, "iccid", b.iccid)
            : AuditRecord.of(
                page.actor,
                "RESULT_INSTALLED",
                txHex,
                "eid",
                b.eid,
                "iccid",
                b.iccid,
                "before",
                before));
  }

  /**
   * A verified success for a binding an earlier verified failure (or the operator) gave up: the
   * chip has the profile. Its re-binding, if any, is superseded; if another binding of the profile
   * is already INSTALLED, nothing changes.
   */
  private ItemOutcome installedAfterAll(Page page, Row b, String txHex) {
    page.flush(); // the events before this one first, in the audit chain too
    var other = repository.otherLiveBinding(b.profileId, b.id);
    if (other.isPresent() && "INSTALLED".equals(other.get().state())) {
      page.records.add(
          AuditRecord.of(
              page.actor,
              "RESULT_IGNORED",
              txHex,
              "code",
              "profile-installed",
              "binding",
              Long.toString(other.get().id())));
      return new ItemOutcome(txHex, "DUPLICATE", "profile-installed");
    }
    if (other.isPresent()) {
      long spare = other.get().id();
      boolean withdrawn = repository.abandonSuperseded(spare);
      boolean sent = !withdrawn && repository.sent(spare);
      for (Row row : page.rows.values()) {
        if (row.id == spare) {
          row.state = "ABANDONED";
        }
      }
      page.records.add(
          AuditRecord.of(
              page.actor,
              "BINDING_SUPERSEDED",
              Long.toString(spare),
              "by",
              txHex,
              "state",
              other.get().state(),
              "package",
              withdrawn ? "withdrawn" : sent ? "sent" : "none"));
    }
    String before = b.state;
    installed(page, b, txHex, before);
    return new ItemOutcome(txHex, "INSTALLED", "ok");
  }

  private static ItemOutcome reject(Page page, String txHex, String code) {
    page.records.add(AuditRecord.of(page.actor, "RESULT_REJECTED", txHex, "code", code));
    return new ItemOutcome(txHex, "REJECTED", code);
  }

  private static X509Certificate certificate(byte[] der) throws CertificateException {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }
}
