package org.ifpp.keymaker.binding;

import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.web.DomainException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Re-binds a failed or abandoned binding to another one-time key of the same eUICC (bounded by
 * {@link BindingProperties#maxAttempts()}, audited), and wakes the workers.
 */
@Service
public class BindingRebinder {

  private final JdbcTemplate jdbc;
  private final AuditLog audit;
  private final BindingProperties properties;
  private final BindingRunner runner;

  public BindingRebinder(
      JdbcTemplate jdbc, AuditLog audit, BindingProperties properties, BindingRunner runner) {
    this.jdbc = jdbc;
    this.audit = audit;
    this.properties = properties;
    this.runner = runner;
  }

  /** Re-plans a binding already marked FAILED or ABANDONED, in the caller's transaction. */
  @Transactional(propagation = Propagation.MANDATORY)
  public boolean replan(long bindingId, String actor) {
    boolean planned = Rebinding.replan(jdbc, audit, bindingId, properties.maxAttempts(), actor);
    if (planned) {
      runner.wakeUp();
    }
    return planned;
  }

  /**
   * The operator gives up waiting for a result of a delivered package (chip lost, line scrapped):
   * the binding becomes ABANDONED and the profile is re-planned.
   */
  @Transactional
  public boolean abandon(String transactionIdHex, String actor) {
    byte[] tx;
    try {
      tx = org.ifpp.crypto.ids.TransactionId.fromHex(transactionIdHex).toBytes();
    } catch (IllegalArgumentException e) {
      throw new DomainException(KeymakerError.INVALID_TRANSACTION_ID, "16 bytes as 32 hex digits");
    }
    var ids =
        jdbc.queryForList(
            "select id from bindings where transaction_id = ? and state = 'BOUND' for update",
            Long.class,
            (Object) tx);
    if (ids.isEmpty()) {
      throw new DomainException(
          KeymakerError.BINDING_NOT_ABANDONABLE,
          "no delivered binding awaiting a result has this id");
    }
    jdbc.update(
        "update bindings set state = 'ABANDONED', result_code = 'abandoned', updated_at = now()"
            + " where id = ?",
        ids.get(0));
    audit.append(
        AuditRecord.of(
            actor, "BINDING_ABANDONED", transactionIdHex.toUpperCase(), "code", "operator"));
    return replan(ids.get(0), actor);
  }
}
