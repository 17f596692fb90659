package org.ifpp.keymaker.binding;

import java.util.List;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * At start-up, before any worker runs: a RESERVED binding was left by a process that died between
 * spending the key and storing the package. Its key stays spent (it may never be offered again);
 * the binding is ABANDONED and the profile re-planned on another key of the same eUICC. (One Key
 * Maker instance per database; several instances would need a lease per reservation.)
 */
public class BindingRecovery {

  private static final Logger log = LoggerFactory.getLogger(BindingRecovery.class);

  private final BindingRepository bindings;
  private final Rebinding rebinding;
  private final TransactionTemplate tx;
  private final AuditLog audit;

  BindingRecovery(
      BindingRepository bindings, Rebinding rebinding, TransactionTemplate tx, AuditLog audit) {
    this.bindings = bindings;
    this.rebinding = rebinding;
    this.tx = tx;
    this.audit = audit;
  }

  /**
   * @return how many bindings were abandoned
   */
  public int recover() {
    Integer n =
        tx.execute(
            s -> {
              List<Long> stale = bindings.lockStaleReserved();
              for (Long id : stale) {
                bindings.markAbandoned(id, "interrupted");
                audit.append(
                    AuditRecord.of(
                        "recovery", "BINDING_ABANDONED", Long.toString(id), "code", "interrupted"));
                rebinding.replan(id, "recovery");
              }
              return stale.size();
            });
    if (n != null && n > 0) {
      log.warn("{} bindings interrupted by a previous stop were abandoned and re-planned", n);
    }
    return n == null ? 0 : n;
  }
}
