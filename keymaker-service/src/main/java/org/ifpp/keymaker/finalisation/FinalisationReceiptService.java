package org.ifpp.keymaker.finalisation;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.finalisation.FinalisationReceipt;
import org.ifpp.crypto.finalisation.MalformedFinalisationException;
import org.ifpp.crypto.finalisation.SignedFinalisationReceipt;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.pki.Certificates;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.ifpp.keymaker.batches.BatchRepository;
import org.ifpp.keymaker.euiccs.EuiccRegistry;
import org.ifpp.keymaker.orders.OrderId;
import org.ifpp.keymaker.orders.OrderRepository;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.web.DomainException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Verifies the chips' finalisation receipts (GENS13, DMF03/EUICCF03) and keeps the verified ones.
 * The factory and whoever carries the receipts file are untrusted: a receipt counts only if it is
 * signed by the key of the chip's CERT.EUICC, which the Key Maker holds from the chip's verified
 * eUICC data (DPFF10), and says IFPP is locked. Each receipt is audited, accepted or refused.
 */
@Service
public class FinalisationReceiptService implements FinalisationStatus {

  private final EuiccRegistry euiccs;
  private final FinalisationReceiptRepository repository;
  private final AuditLog audit;
  private final BatchRepository batches;
  private final OrderRepository orders;

  public FinalisationReceiptService(
      EuiccRegistry euiccs,
      FinalisationReceiptRepository repository,
      AuditLog audit,
      BatchRepository batches,
      OrderRepository orders) {
    this.euiccs = euiccs;
    this.repository = repository;
    this.audit = audit;
    this.batches = batches;
    this.orders = orders;
  }

  /** One filed receipt: the EID it was filed under (may be null) and the BF7B bytes. */
  public record Filed(String eid, byte[] receipt) {}

  /**
   * What happened to one receipt: ACCEPTED, DUPLICATE (already stored) or REJECTED with a {@link
   * ReceiptRefusal} code.
   */
  public record ItemOutcome(String eid, String outcome, String code) {}

  /** Verifies and stores receipts in one transaction, auditing each. */
  @Transactional
  public List<ItemOutcome> importReceipts(String actor, List<Filed> filed) {
    List<ItemOutcome> out = new ArrayList<>();
    List<AuditRecord> records = new ArrayList<>();
    for (Filed f : filed) {
      ItemOutcome o = importOne(f);
      out.add(o);
      records.add(
          "REJECTED".equals(o.outcome())
              ? AuditRecord.of(
                  actor,
                  "FINALISATION_RECEIPT_REJECTED",
                  o.eid() == null ? "unknown" : o.eid(),
                  "code",
                  o.code())
              : AuditRecord.of(actor, "FINALISATION_RECEIPT_" + o.outcome(), o.eid()));
    }
    audit.appendAll(records);
    return out;
  }

  private ItemOutcome importOne(Filed f) {
    SignedFinalisationReceipt signed;
    try {
      signed = SignedFinalisationReceipt.parse(f.receipt());
    } catch (MalformedFinalisationException e) {
      return rejected(f.eid(), ReceiptRefusal.RECEIPT_MALFORMED);
    }
    FinalisationReceipt r = signed.receipt();
    String eid = r.eid().value();
    if (f.eid() != null && !f.eid().strip().equals(eid)) {
      return rejected(f.eid(), ReceiptRefusal.RECEIPT_EID_MISMATCH);
    }
    Optional<EuiccRegistry.Euicc> chip = euiccs.find(r.eid());
    if (chip.isEmpty()) {
      return rejected(eid, ReceiptRefusal.RECEIPT_UNKNOWN_EID);
    }
    Optional<X509Certificate> cert = Certificates.fromDer(chip.get().euiccCertificate());
    if (cert.isEmpty() || !signed.verify(EcPublicKey.fromJca(cert.get().getPublicKey()))) {
      return refused(chip.get(), ReceiptRefusal.RECEIPT_SIGNATURE_INVALID);
    }
    if (!r.ifppLocked()) {
      return refused(chip.get(), ReceiptRefusal.RECEIPT_IFPP_NOT_LOCKED);
    }
    boolean stored =
        repository.insert(chip.get().id(), r.counter(), r.oneTimeKeysDeleted(), signed.encoded());
    return new ItemOutcome(eid, stored ? "ACCEPTED" : "DUPLICATE", null);
  }

  /** A refusal of a registered chip's receipt: its code kept for the chip's finalisation state. */
  private ItemOutcome refused(EuiccRegistry.Euicc chip, ReceiptRefusal why) {
    repository.refuse(chip.id(), why.code());
    return rejected(chip.eid().value(), why);
  }

  private static ItemOutcome rejected(String eid, ReceiptRefusal why) {
    return new ItemOutcome(eid, "REJECTED", why.code());
  }

  @Override
  @Transactional(readOnly = true)
  public Map<Eid, ChipFinalisation> finalisationOf(Collection<Eid> eids) {
    Map<Eid, ChipFinalisation> out = new LinkedHashMap<>();
    for (FinalisationReceiptRepository.ChipRow row : repository.chips(eids)) {
      out.put(row.eid(), finalisation(row));
    }
    return out;
  }

  /**
   * The chips bound in a batch, each finalised or not.
   *
   * @throws DomainException {@code unknown-batch}
   */
  @Transactional(readOnly = true)
  public List<ChipFinalisation> ofBatch(UUID batchId) {
    if (batches.total(batchId).isEmpty()) {
      throw new DomainException(KeymakerError.UNKNOWN_BATCH, "no batch " + batchId);
    }
    return repository.chipsOfBatch(batchId).stream()
        .map(FinalisationReceiptService::finalisation)
        .toList();
  }

  /**
   * Every device of a production order, each finalised (a verified receipt) or not, in EID order; a
   * device whose chip is not registered has no receipt and is not finalised.
   *
   * @throws DomainException {@code unknown-order}
   */
  @Transactional(readOnly = true)
  public List<ChipFinalisation> ofOrder(OrderId orderId) {
    if (orders.find(orderId).isEmpty()) {
      throw new DomainException(KeymakerError.UNKNOWN_ORDER, "no order " + orderId);
    }
    List<Eid> eids = orders.allDevices(orderId).stream().map(d -> Eid.of(d.eid())).toList();
    Map<Eid, ChipFinalisation> known = finalisationOf(eids);
    return eids.stream()
        .map(e -> known.getOrDefault(e, new ChipFinalisation(e, false, null, null, null)))
        .toList();
  }

  private static ChipFinalisation finalisation(FinalisationReceiptRepository.ChipRow row) {
    return new ChipFinalisation(
        row.eid(), row.counter() != null, row.counter(), row.oneTimeKeysDeleted(), row.refusal());
  }
}
