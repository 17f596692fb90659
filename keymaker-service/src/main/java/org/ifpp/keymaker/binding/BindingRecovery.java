package org.ifpp.keymaker.binding;

import java.util.List;
import java.util.UUID;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.ifpp.keymaker.instances.InstanceRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Recovers the reservations of Key Maker instances that died between spending a key and storing the
 * package: a RESERVED binding whose instance's lease has expired ({@link
 * org.ifpp.keymaker.instances.InstanceLease}). Its key stays spent (it may never be offered again);
 * the binding is ABANDONED and the profile re-planned on another key of the same eUICC. Run by
 * every instance at start-up and every heartbeat; one at a time takes an expired instance (its row
 * locked), so each reservation is recovered once. A reservation of a live instance is never taken:
 * its worker holds the lease in the transaction that completes it.
 */
public class BindingRecovery {

  private static final Logger log = LoggerFactory.getLogger(BindingRecovery.class);

  private final BindingRepository bindings;
  private final InstanceRepository instances;
  private final Rebinding rebinding;
  private final TransactionTemplate tx;
  private final AuditLog audit;

  BindingRecovery(
      BindingRepository bindings,
      InstanceRepository instances,
      Rebinding rebinding,
      TransactionTemplate tx,
      AuditLog audit) {
    this.bindings = bindings;
    this.instances = instances;
    this.rebinding = rebinding;
    this.tx = tx;
    this.audit = audit;
  }

  /**
   * Recovers the reservations of expired instances; at start-up also those without an owner (left
   * by a version before instance leases).
   *
   * @return how many bindings were abandoned
   */
  public int recover(boolean startUp) {
    Integer n =
        tx.execute(
            s -> {
              List<UUID> expired = instances.lockExpired();
              if (expired.isEmpty() && !startUp) {
                return 0;
              }
              List<Long> stale = bindings.lockReservedBy(expired, startUp);
              for (Long id : stale) {
                bindings.markAbandoned(id, "interrupted");
                audit.append(
                    AuditRecord.of(
                        "recovery", "BINDING_ABANDONED", Long.toString(id), "code", "interrupted"));
                rebinding.replan(id, "recovery");
              }
              if (!expired.isEmpty()) {
                instances.delete(expired);
              }
              return stale.size();
            });
    if (n != null && n > 0) {
      log.warn("{} bindings interrupted by a stopped instance were abandoned and re-planned", n);
    }
    return n == null ? 0 : n;
  }
}
