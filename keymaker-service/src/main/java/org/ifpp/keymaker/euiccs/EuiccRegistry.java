package org.ifpp.keymaker.euiccs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.provider.AccpSupport;
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
      List<IndexedKey> oneTimeKeys,
      byte[] euiccInfo2) {}

  /** One one-time public key and its index on the chip. */
  public record IndexedKey(int index, EcPublicKey key) {}

  /** A registered chip. */
  public record Euicc(long id, Eid eid, Curve curve, byte[] euiccCertificate) {}

  /** What the database already knows of some chips: registered EIDs and stored keys. */
  public record Known(Set<String> eids, Set<ByteBuffer> keys) {

    /** True if the chip's EID is registered. */
    public boolean eid(VerifiedEuicc c) {
      return eids.contains(c.eid().value());
    }

    /** True if one of the chip's keys is stored (under any chip). */
    public boolean anyKey(VerifiedEuicc c) {
      return c.oneTimeKeys().stream()
          .anyMatch(k -> keys.contains(ByteBuffer.wrap(k.key().toUncompressed())));
    }
  }

  /** Which of these chips' EIDs and keys are registered already (two statements). */
  @Transactional(propagation = Propagation.MANDATORY)
  public Known known(List<VerifiedEuicc> chips) {
    if (chips.isEmpty()) {
      return new Known(Set.of(), Set.of());
    }
    return new Known(
        euiccs.existing(chips.stream().map(c -> c.eid().value()).toArray(String[]::new)),
        keys.existing(
            chips.stream()
                .flatMap(c -> c.oneTimeKeys().stream())
                .map(k -> k.key().toUncompressed())
                .toArray(byte[][]::new)));
  }

  /**
   * Registers verified chips with their keys AVAILABLE, in the caller's transaction: {@link
   * #insert} and {@link #audit} of the same chips.
   *
   * @throws DuplicateKeyException if an EID or a one-time key is already known
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public void register(String actor, List<VerifiedEuicc> chips) {
    insert(chips);
    audit(actor, chips);
  }

  /**
   * Stores verified chips with their keys AVAILABLE, in the caller's transaction: one statement for
   * the chips and one for their keys. The caller appends their {@link #audit} record in the same
   * transaction.
   *
   * @throws DuplicateKeyException if an EID or a one-time key is already known
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public void insert(List<VerifiedEuicc> chips) {
    if (chips.isEmpty()) {
      return;
    }
    int n = chips.size();
    String[] eids = new String[n];
    String[] curves = new String[n];
    byte[][] euiccCertificates = new byte[n][];
    byte[][] eumCertificates = new byte[n][];
    byte[][] infos = new byte[n][];
    int keyCount = 0;
    for (int i = 0; i < n; i++) {
      VerifiedEuicc c = chips.get(i);
      eids[i] = c.eid().value();
      curves[i] = c.curve().name();
      euiccCertificates[i] = c.euiccCertificate();
      eumCertificates[i] = c.eumCertificate();
      infos[i] = c.euiccInfo2();
      keyCount += c.oneTimeKeys().size();
    }
    Map<String, Long> ids =
        euiccs.insertAll(eids, curves, euiccCertificates, eumCertificates, infos);
    long[] owners = new long[keyCount];
    int[] indexes = new int[keyCount];
    byte[][] points = new byte[keyCount][];
    int k = 0;
    for (VerifiedEuicc c : chips) {
      long id = ids.get(c.eid().value());
      for (IndexedKey key : c.oneTimeKeys()) {
        owners[k] = id;
        indexes[k] = key.index();
        points[k] = key.key().toUncompressed();
        k++;
      }
    }
    keys.insertAvailable(owners, indexes, points);
  }

  /**
   * The one {@code EUICC_DATA_IMPORTED} audit record of chips stored by an import, in the caller's
   * transaction: first and last EID, counts, and a {@link #digest} that commits to what was stored.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public void audit(String actor, List<VerifiedEuicc> chips) {
    if (chips.isEmpty()) {
      return;
    }
    int keyCount = 0;
    for (VerifiedEuicc c : chips) {
      keyCount += c.oneTimeKeys().size();
    }
    audit.append(
        AuditRecord.of(
            actor,
            "EUICC_DATA_IMPORTED",
            chips.get(0).eid().value(),
            "eUICCs",
            Integer.toString(chips.size()),
            "lastEid",
            chips.get(chips.size() - 1).eid().value(),
            "oneTimeKeys",
            Integer.toString(keyCount),
            "sha256",
            HexFormat.of().formatHex(digest(chips))));
  }

  /**
   * SHA-256 over what an import stores, chip by chip in order: EID, curve, eUICC certificate, EUM
   * certificate, the number of keys, then each key's index and point, then the EUICCInfo2 where the
   * chip carried one; every field framed by its length, so that no two different imports share an
   * input. An auditor recomputes it from the {@code euiccs} and {@code one_time_keys} rows the
   * audit record names.
   */
  public static byte[] digest(List<VerifiedEuicc> chips) {
    MessageDigest md = AccpSupport.sha256();
    for (VerifiedEuicc c : chips) {
      field(md, c.eid().value().getBytes(StandardCharsets.US_ASCII));
      field(md, c.curve().name().getBytes(StandardCharsets.US_ASCII));
      field(md, c.euiccCertificate());
      field(md, c.eumCertificate());
      md.update(ByteBuffer.allocate(4).putInt(c.oneTimeKeys().size()).array());
      for (IndexedKey k : c.oneTimeKeys()) {
        md.update(ByteBuffer.allocate(4).putInt(k.index()).array());
        field(md, k.key().toUncompressed());
      }
      if (c.euiccInfo2() != null) {
        field(md, c.euiccInfo2());
      }
    }
    return md.digest();
  }

  private static void field(MessageDigest md, byte[] value) {
    md.update(ByteBuffer.allocate(4).putInt(value.length).array());
    md.update(value);
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
