package org.ifpp.keymaker.euiccs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The eUICCs the Key Maker may bind to, and their one-time public keys (binding targets). Only
 * eUICC data that passed the DPFF10 checks is registered here; each one-time key is AVAILABLE until
 * a binding spends it, and a spent key is never available again.
 */
@Service
public class EuiccRegistry {

  private final EuiccRepository euiccs;
  private final OneTimeKeyRepository keys;
  private final AuditLog audit;

  public EuiccRegistry(EuiccRepository euiccs, OneTimeKeyRepository keys, AuditLog audit) {
    this.euiccs = euiccs;
    this.keys = keys;
    this.audit = audit;
  }

  /** A verified chip: its certificates and its signed one-time keys, in index order. */
  public record VerifiedEuicc(
      Eid eid,
      Curve curve,
      byte[] euiccCertificate,
      byte[] eumCertificate,
      List<IndexedKey> oneTimeKeys) {}

  /** One one-time public key and its index on the chip. */
  public record IndexedKey(int index, EcPublicKey key) {}

  /** A registered chip. */
  public record Euicc(long id, Eid eid, Curve curve, byte[] euiccCertificate) {}

  /**
   * Registers verified chips with their keys, in the caller's transaction.
   *
   * @throws DuplicateKeyException if an EID or a one-time key is already known
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public void register(String actor, List<VerifiedEuicc> chips) {
    List<AuditRecord> records = new ArrayList<>();
    for (VerifiedEuicc c : chips) {
      long id = euiccs.insert(c.eid(), c.curve(), c.euiccCertificate(), c.eumCertificate());
      List<Object[]> rows = new ArrayList<>();
      for (IndexedKey k : c.oneTimeKeys()) {
        rows.add(new Object[] {k.index(), k.key().toUncompressed()});
      }
      keys.insertAvailable(id, rows);
      records.add(
          AuditRecord.of(
              actor,
              "EUICC_IMPORTED",
              c.eid().value(),
              "oneTimeKeys",
              Integer.toString(c.oneTimeKeys().size())));
    }
    audit.appendAll(records);
  }

  public Optional<Euicc> find(Eid eid) {
    return euiccs.find(eid);
  }

  /** Counts of a chip's one-time keys by state. */
  public record KeyCounts(long available, long spent) {}

  public KeyCounts keyCounts(Eid eid) {
    OneTimeKeyRepository.KeyCounts c = keys.counts(eid);
    return new KeyCounts(c.available(), c.spent());
  }
}
