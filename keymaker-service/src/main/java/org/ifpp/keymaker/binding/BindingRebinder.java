package org.ifpp.keymaker.binding;

import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.web.DomainException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Re-binds a failed or abandoned binding to another one-time key of the same eUICC (bounded by
 * {@link BindingProperties#maxAttempts()}, audited), and wakes the workers.
 */
@Service
public class BindingRebinder {

  private final BindingRepository bindings;
  private final Rebinding rebinding;
  private final AuditLog audit;
  private final BindingRunner runner;

  BindingRebinder(
      BindingRepository bindings, Rebinding rebinding, AuditLog audit, BindingRunner runner) {
    this.bindings = bindings;
    this.rebinding = rebinding;
    this.audit = audit;
    this.runner = runner;
  }

  /** Re-plans a binding already marked FAILED or ABANDONED, in the caller's transaction. */
  @Transactional(propagation = Propagation.MANDATORY)
  public boolean replan(long bindingId, String actor) {
    boolean planned = rebinding.replan(bindingId, actor);
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
  public boolean abandon(TransactionId tx, String actor) {
    long id =
        bindings
            .lockBoundByTransaction(tx)
            .orElseThrow(
                () ->
                    new DomainException(
                        KeymakerError.BINDING_NOT_ABANDONABLE,
                        "no delivered binding awaiting a result has this id"));
    bindings.markAbandoned(id, "abandoned");
    audit.append(AuditRecord.of(actor, "BINDING_ABANDONED", tx.toHex(), "code", "operator"));
    return replan(id, actor);
  }
}
