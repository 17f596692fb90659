package org.ifpp.keymaker.results;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
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
    List<ItemOutcome> out = new ArrayList<>(items.size());
    for (Reported r : items) {
      out.add(processOne(actor, r));
    }
    return out;
  }

  private ItemOutcome processOne(String actor, Reported r) {
    TransactionId tx;
    try {
      tx = TransactionId.fromHex(r.transactionId());
    } catch (IllegalArgumentException e) {
      return reject(actor, String.valueOf(r.transactionId()), "invalid-transaction-id");
    }
    String txHex = tx.toHex();
    List<Map<String, Object>> rows =
        jdbc.queryForList(
            "select b.id, b.state, b.profile_id, e.eid, e.curve, e.euicc_certificate, p.iccid"
                + " from bindings b join euiccs e on e.id = b.euicc_id join profiles p on p.id ="
                + " b.profile_id where b.transaction_id = ? for update of b",
            (Object) tx.toBytes());
    if (rows.isEmpty()) {
      return reject(actor, txHex, "unknown-transaction");
    }
    Map<String, Object> b = rows.get(0);
    long bindingId = ((Number) b.get("id")).longValue();
    String state = (String) b.get("state");
    if (r.eid() != null && !r.eid().equals(b.get("eid"))) {
      return reject(actor, txHex, "eid-mismatch");
    }
    EcPublicKey key;
    try {
      key = EcPublicKey.fromJca(certificate((byte[]) b.get("euicc_certificate")).getPublicKey());
    } catch (CertificateException | IllegalArgumentException e) {
      return reject(actor, txHex, "euicc-certificate-unusable");
    }
    PirVerification v = PirVerifier.verify(r.pir() == null ? new byte[0] : r.pir(), key);
    if (!(v instanceof PirVerification.Verified verified)) {
      return reject(actor, txHex, "invalid-result");
    }
    ProfileInstallationResult result = verified.result().result();
    if (!result.transactionId().equals(tx)) {
      return reject(actor, txHex, "transaction-id-mismatch");
    }
    if (result.iccid().isPresent() && !result.iccid().get().value().equals(b.get("iccid"))) {
      return reject(actor, txHex, "iccid-mismatch");
    }
    if (!"BOUND".equals(state)) {
      // Already reconciled (a repeated report) or no longer live: nothing to change.
      return new ItemOutcome(txHex, "DUPLICATE", state);
    }
    if (result.isSuccess()) {
      jdbc.update(
          "update bindings set state = 'INSTALLED', result_code = 'ok', updated_at = now()"
              + " where id = ?",
          bindingId);
      jdbc.update(
          "update profiles set state = 'INSTALLED', updated_at = now() where id = ?",
          b.get("profile_id"));
      audit.append(
          AuditRecord.of(
              actor,
              "RESULT_INSTALLED",
              txHex,
              "eid",
              (String) b.get("eid"),
              "iccid",
              (String) b.get("iccid")));
      return new ItemOutcome(txHex, "INSTALLED", "ok");
    }
    String reason =
        result.outcome() instanceof InstallationOutcome.ErrorResult err
            ? String.valueOf(err.errorReason())
            : "error";
    jdbc.update(
        "update bindings set state = 'FAILED', result_code = ?, updated_at = now() where id = ?",
        reason,
        bindingId);
    audit.append(
        AuditRecord.of(
            actor, "RESULT_FAILED", txHex, "eid", (String) b.get("eid"), "reason", reason));
    boolean replanned = rebinder.replan(bindingId, actor);
    return new ItemOutcome(txHex, replanned ? "FAILED_REBINDING" : "FAILED", reason);
  }

  private ItemOutcome reject(String actor, String txHex, String code) {
    audit.append(AuditRecord.of(actor, "RESULT_REJECTED", txHex, "code", code));
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
