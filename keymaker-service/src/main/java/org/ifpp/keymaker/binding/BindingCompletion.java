package org.ifpp.keymaker.binding;

import java.util.List;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.ifpp.keymaker.delivery.OutboxRepository;
import org.ifpp.keymaker.instances.InstanceLease;

/**
 * The binder's second transaction: the chunk's bindings BOUND, their packages into the outbox, one
 * audit record of the signatures, all in the caller's transaction; a binding that could not be
 * built is FAILED and re-planned (bounded attempts). Only while this instance's lease holds: once
 * it has lapsed, recovery may have abandoned the chunk, so the transaction is refused (rolled back)
 * and the reservations are left to recovery.
 */
final class BindingCompletion {

  private final BindingRepository bindings;
  private final OutboxRepository outbox;
  private final AuditLog audit;
  private final Rebinding rebinding;
  private final InstanceLease lease;

  BindingCompletion(
      BindingRepository bindings,
      OutboxRepository outbox,
      AuditLog audit,
      Rebinding rebinding,
      InstanceLease lease) {
    this.lease = lease;
    this.bindings = bindings;
    this.outbox = outbox;
    this.audit = audit;
    this.rebinding = rebinding;
  }

  /** Throws (rolling the caller's transaction back) unless this instance's lease holds. */
  void holdLease() {
    if (!lease.hold()) {
      throw new IllegalStateException("instance lease lapsed: the chunk is left to recovery");
    }
  }

  void complete(List<PackageBuilder.Built> built) {
    if (built.isEmpty()) {
      return;
    }
    int n = built.size();
    Long[] ids = new Long[n];
    String[] eids = new String[n];
    String[] iccids = new String[n];
    byte[][] transactionIds = new byte[n][];
    byte[][] payloads = new byte[n][];
    Integer[] a3Lengths = new Integer[n];
    AuditEntries signed = new AuditEntries();
    for (int i = 0; i < n; i++) {
      PackageBuilder.Built b = built.get(i);
      ReservedBinding r = b.r();
      ids[i] = r.bindingId();
      eids[i] = r.eid().value();
      iccids[i] = b.iccid().value();
      transactionIds[i] = r.transactionId().toBytes();
      payloads[i] = b.payload();
      a3Lengths[i] = b.a3Length();
      signed.add(
          Long.toString(r.bindingId()),
          r.transactionId().toHex(),
          r.eid().value(),
          b.iccid().value(),
          Integer.toString(r.keyIndex()),
          b.signatureHash());
    }
    // One record for the chunk's signed packages (binding/transactionId/EID/ICCID/key index/
    // SHA-256 of the signature, per binding), in the same transaction as the state change.
    AuditRecord record =
        AuditRecord.of(
            "binder",
            "BINDINGS_SIGNED",
            "bindings:" + ids[0],
            "count",
            Integer.toString(n),
            "bindings",
            signed.toString());
    bindings.markBound(ids);
    outbox.insertPending(ids, eids, iccids, transactionIds, payloads, a3Lengths);
    audit.append(record);
  }

  /** A reserved binding that cannot become a package: FAILED, and re-planned if attempts remain. */
  void fail(ReservedBinding r, String code) {
    bindings.markFailed(r.bindingId(), code);
    audit.append(
        AuditRecord.of("binder", "BINDING_FAILED", Long.toString(r.bindingId()), "code", code));
    rebinding.replan(r.bindingId(), "binder");
  }
}
