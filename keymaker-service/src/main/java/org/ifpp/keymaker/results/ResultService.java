package org.ifpp.keymaker.results;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.pir.InstallationOutcome;
import org.ifpp.crypto.pir.PirVerification;
import org.ifpp.crypto.pir.PirVerifier;
import org.ifpp.crypto.pir.ProfileInstallationResult;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.ifpp.keymaker.binding.BindingRebinder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reconciles installation results (IFPP.md section 4 step 7, DPFF05-07): each result must be signed
 * by the eUICC the package was bound to (key from its stored, DPFF10-verified certificate) and name
 * the binding's transactionId. A verified success marks the binding and the profile INSTALLED; a
 * verified failure marks the binding FAILED and re-plans the profile on another one-time key of the
 * same chip (bounded). Anything unverifiable changes nothing and is audited. Repeated results are
 * ignored (idempotent).
 */
@Service
public class ResultService {

  private final JdbcTemplate jdbc;
  private final AuditLog audit;
  private final BindingRebinder rebinder;

  public ResultService(JdbcTemplate jdbc, AuditLog audit, BindingRebinder rebinder) {
    this.jdbc = jdbc;
    this.audit = audit;
    this.rebinder = rebinder;
  }

  /** One reported result: the signed PIR (BF37) and what the reporter claims it is about. */
  public record Reported(String transactionId, String eid, byte[] pir) {}

  /** What happened to one result. */
  public record ItemOutcome(String transactionId, String outcome, String code) {}

  /** Processes results in one transaction. */
  @Transactional
  public List<ItemOutcome> process(String actor, List<Reported> items) {
    List<TransactionId> ids = new ArrayList<>(items.size());
    for (Reported r : items) {
      ids.add(parse(r.transactionId()));
    }
    Page page = new Page(actor, lookUp(ids));
    List<ItemOutcome> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(processOne(page, items.get(i), ids.get(i)));
    }
    page.flush();
    return out;
  }

  /** The binding a result names, as read (and locked) at the start of the page. */
  private static final class Row {
    final long id;
    final long profileId;
    final String eid;
    final byte[] euiccCertificate;
    final String iccid;
    String state;

    Row(long id, String state, long profileId, String eid, byte[] euiccCertificate, String iccid) {
      this.id = id;
      this.state = state;
      this.profileId = profileId;
      this.eid = eid;
      this.euiccCertificate = euiccCertificate;
      this.iccid = iccid;
    }
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
        jdbc.update(
            "update bindings set state = 'INSTALLED', result_code = 'ok', updated_at = now()"
                + " where id = any(?)",
            (Object) installedBindings.toArray(Long[]::new));
        jdbc.update(
            "update profiles set state = 'INSTALLED', updated_at = now() where id = any(?)",
            (Object) installedProfiles.toArray(Long[]::new));
        installedBindings.clear();
        installedProfiles.clear();
      }
      if (!records.isEmpty()) {
        audit.appendAll(List.copyOf(records));
        records.clear();
      }
    }
  }

  /**
   * The bindings the page's results name, in one statement, locked in id order (two pages that
   * share bindings lock them in the same order).
   */
  private Map<String, Row> lookUp(List<TransactionId> parsed) {
    List<byte[]> ids = new ArrayList<>(parsed.size());
    for (TransactionId tx : parsed) {
      if (tx != null) {
        ids.add(tx.toBytes());
      }
    }
    Map<String, Row> rows = new HashMap<>();
    if (ids.isEmpty()) {
      return rows;
    }
    jdbc.query(
        "select b.id, b.state, b.profile_id, b.transaction_id, e.eid, e.euicc_certificate, p.iccid"
            + " from bindings b join euiccs e on e.id = b.euicc_id join profiles p on p.id ="
            + " b.profile_id where b.transaction_id = any(?) order by b.id for update of b",
        rs -> {
          rows.put(
              hex(rs.getBytes(4)),
              new Row(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getLong(3),
                  rs.getString(5),
                  rs.getBytes(6),
                  rs.getString(7)));
        },
        (Object) ids.toArray(byte[][]::new));
    return rows;
  }

  /** The result's transactionId, or null when it is not one (refused per item). */
  private static TransactionId parse(String hex) {
    try {
      return TransactionId.fromHex(hex);
    } catch (IllegalArgumentException | NullPointerException e) {
      return null;
    }
  }

  private ItemOutcome processOne(Page page, Reported r, TransactionId tx) {
    String actor = page.actor;
    if (tx == null) {
      return reject(page, String.valueOf(r.transactionId()), "invalid-transaction-id");
    }
    String txHex = tx.toHex();
    Row b = page.rows.get(txHex);
    if (b == null) {
      return reject(page, txHex, "unknown-transaction");
    }
    if (r.eid() != null && !r.eid().equals(b.eid)) {
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
    if (!"BOUND".equals(b.state)) {
      // Already reconciled (a repeated report) or no longer live: nothing to change.
      return new ItemOutcome(txHex, "DUPLICATE", b.state);
    }
    if (result.isSuccess()) {
      b.state = "INSTALLED";
      page.installedBindings.add(b.id);
      page.installedProfiles.add(b.profileId);
      page.records.add(
          AuditRecord.of(actor, "RESULT_INSTALLED", txHex, "eid", b.eid, "iccid", b.iccid));
      return new ItemOutcome(txHex, "INSTALLED", "ok");
    }
    String reason =
        result.outcome() instanceof InstallationOutcome.ErrorResult err
            ? String.valueOf(err.errorReason())
            : "error";
    b.state = "FAILED";
    jdbc.update(
        "update bindings set state = 'FAILED', result_code = ?, updated_at = now() where id = ?",
        reason,
        b.id);
    page.records.add(AuditRecord.of(actor, "RESULT_FAILED", txHex, "eid", b.eid, "reason", reason));
    // The re-plan reads and writes bindings and appends its own audit records: everything before
    // it is written first, so the audit chain keeps the order of events.
    page.flush();
    boolean replanned = rebinder.replan(b.id, actor);
    return new ItemOutcome(txHex, replanned ? "FAILED_REBINDING" : "FAILED", reason);
  }

  private static ItemOutcome reject(Page page, String txHex, String code) {
    page.records.add(AuditRecord.of(page.actor, "RESULT_REJECTED", txHex, "code", code));
    return new ItemOutcome(txHex, "REJECTED", code);
  }

  private static X509Certificate certificate(byte[] der) throws CertificateException {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  static String hex(byte[] b) {
    return HexFormat.of().withUpperCase().formatHex(b);
  }
}
