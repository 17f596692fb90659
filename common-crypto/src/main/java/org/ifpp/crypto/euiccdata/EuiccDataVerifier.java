package org.ifpp.crypto.euiccdata;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.pki.EuiccChainValidation;
import org.ifpp.crypto.pki.EuiccChainValidator;
import org.ifpp.crypto.pki.EumValidation;
import org.ifpp.crypto.pki.TrustedEum;

/**
 * The Key Maker's integrity and origin check of eUICC data (IFPP.md DPFF10, section 4 step 3): the
 * eUICC certificate chains CI &rarr; EUM &rarr; eUICC ({@link EuiccChainValidator}), its EID equals
 * the record's and lies in the EUM's range, every one-time key's signature verifies under the eUICC
 * certificate's key, and no one-time key or key index repeats. A chip is accepted whole or rejected
 * whole, with a specific {@link EuiccDataRejection}.
 *
 * <p>Thread-safe; never throws for bad input.
 */
public final class EuiccDataVerifier {

  private final EuiccChainValidator chainValidator;

  public EuiccDataVerifier(EuiccChainValidator chainValidator) {
    this.chainValidator = Objects.requireNonNull(chainValidator, "chainValidator");
  }

  /** Parses and verifies one chip's DER eUICC data (tag E1). */
  public EuiccDataVerification verify(byte[] der) {
    EuiccDataParseResult parsed = EuiccData.parse(der);
    if (parsed instanceof EuiccDataParseResult.Malformed m) {
      return rejected(EuiccDataRejection.MALFORMED, null, OptionalInt.empty(), m.detail());
    }
    return verify(((EuiccDataParseResult.Parsed) parsed).data());
  }

  /**
   * As {@link #verify(byte[])}, for data filed under an EID (the JSON form of the format doc): the
   * EID it is filed under must be the record's.
   */
  public EuiccDataVerification verify(Eid filedUnder, byte[] der) {
    return filedUnder(filedUnder, verify(der));
  }

  private static EuiccDataVerification filedUnder(Eid filedUnder, EuiccDataVerification result) {
    if (result instanceof EuiccDataVerification.Accepted a && !a.data().eid().equals(filedUnder)) {
      return rejected(
          EuiccDataRejection.EID_MISMATCH,
          filedUnder,
          OptionalInt.empty(),
          "data for " + a.data().eid() + " filed under " + filedUnder);
    }
    return result;
  }

  public EuiccDataVerification verify(EuiccData data) {
    return verify(data, chainValidator.validateEum(data.eumCertificate()));
  }

  /**
   * A verifier for the chips of one import: each distinct EUM certificate (by its bytes) is
   * validated once, at the first chip that carries it, and that outcome applies to every chip that
   * carries it; each chip's own checks are as {@link #verify(byte[])}. Thread-safe: chips may be
   * verified in parallel.
   */
  public Batch batch() {
    return new Batch();
  }

  /** See {@link #batch()}. */
  public final class Batch {
    private final Map<ByteBuffer, EumValidation> eums = new ConcurrentHashMap<>();

    private Batch() {}

    /** As {@link EuiccDataVerifier#verify(byte[])}. */
    public EuiccDataVerification verify(byte[] der) {
      EuiccDataParseResult parsed = EuiccData.parse(der);
      if (parsed instanceof EuiccDataParseResult.Malformed m) {
        return rejected(EuiccDataRejection.MALFORMED, null, OptionalInt.empty(), m.detail());
      }
      return verify(((EuiccDataParseResult.Parsed) parsed).data());
    }

    /** As {@link EuiccDataVerifier#verify(Eid, byte[])}. */
    public EuiccDataVerification verify(Eid filedUnder, byte[] der) {
      return filedUnder(filedUnder, verify(der));
    }

    /** As {@link EuiccDataVerifier#verify(EuiccData)}. */
    public EuiccDataVerification verify(EuiccData data) {
      EumValidation eum =
          eums.computeIfAbsent(
              ByteBuffer.wrap(data.eumCertificate()),
              k -> chainValidator.validateEum(data.eumCertificate()));
      return EuiccDataVerifier.this.verify(data, eum);
    }
  }

  private EuiccDataVerification verify(EuiccData data, EumValidation eum) {
    Eid eid = data.eid();
    EuiccChainValidation chain =
        eum instanceof TrustedEum trusted
            ? chainValidator.validate(data.euiccCertificate(), trusted, eid)
            : (EuiccChainValidation.Invalid) eum;
    if (chain instanceof EuiccChainValidation.Invalid invalid) {
      return rejected(
          EuiccDataRejection.of(invalid.reason()),
          eid,
          OptionalInt.empty(),
          invalid.element() + ": " + invalid.detail());
    }
    EcPublicKey euiccKey = ((EuiccChainValidation.Valid) chain).euiccKey();
    Set<Integer> indexes = new HashSet<>();
    Set<EcPublicKey> points = new HashSet<>();
    for (SignedOneTimePublicKey key : data.oneTimeKeys()) {
      OptionalInt index = OptionalInt.of(key.keyIndex());
      if (!key.verify(eid, euiccKey)) {
        return rejected(
            EuiccDataRejection.ONE_TIME_KEY_BAD_SIGNATURE, eid, index, "signature does not verify");
      }
      if (!indexes.add(key.keyIndex())) {
        return rejected(EuiccDataRejection.DUPLICATE_KEY_INDEX, eid, index, "keyIndex repeats");
      }
      if (!points.add(key.publicKey()) || key.publicKey().equals(euiccKey)) {
        return rejected(EuiccDataRejection.DUPLICATE_ONE_TIME_KEY, eid, index, "key repeats");
      }
    }
    if (data.euiccInfo2().isPresent() && !data.euiccInfo2Verifies(euiccKey)) {
      return rejected(
          EuiccDataRejection.EUICC_INFO_BAD_SIGNATURE,
          eid,
          OptionalInt.empty(),
          "the EUICCInfo2 signature does not verify");
    }
    return new EuiccDataVerification.Accepted(data, euiccKey);
  }

  /**
   * Verifies every chip of a batch, in order, and rejects a chip whose EID or one-time key already
   * appeared in an accepted chip before it.
   */
  public List<EuiccDataVerification> verify(EuiccDataBatch batch) {
    List<EuiccDataVerification> results = new ArrayList<>();
    Set<Eid> eids = new HashSet<>();
    Set<EcPublicKey> points = new HashSet<>();
    Batch session = batch();
    for (EuiccData data : batch.records()) {
      results.add(crossCheck(session.verify(data), eids, points));
    }
    return results;
  }

  /** Parses and verifies a DER batch (tag E2); empty if the container itself is malformed. */
  public Optional<List<EuiccDataVerification>> verifyBatch(byte[] der) {
    if (!(EuiccDataBatch.parse(der) instanceof BatchParseResult.Parsed parsed)) {
      return Optional.empty();
    }
    List<EuiccDataVerification> results = new ArrayList<>();
    Set<Eid> eids = new HashSet<>();
    Set<EcPublicKey> points = new HashSet<>();
    Batch session = batch();
    for (EuiccDataParseResult record : parsed.records()) {
      results.add(
          record instanceof EuiccDataParseResult.Parsed p
              ? crossCheck(session.verify(p.data()), eids, points)
              : rejected(
                  EuiccDataRejection.MALFORMED,
                  null,
                  OptionalInt.empty(),
                  ((EuiccDataParseResult.Malformed) record).detail()));
    }
    return Optional.of(results);
  }

  private static EuiccDataVerification crossCheck(
      EuiccDataVerification result, Set<Eid> eids, Set<EcPublicKey> points) {
    if (!(result instanceof EuiccDataVerification.Accepted accepted)) {
      return result;
    }
    Eid eid = accepted.data().eid();
    if (eids.contains(eid)) {
      return rejected(
          EuiccDataRejection.DUPLICATE_EID, eid, OptionalInt.empty(), "EID repeats in the batch");
    }
    for (SignedOneTimePublicKey key : accepted.data().oneTimeKeys()) {
      if (points.contains(key.publicKey())) {
        return rejected(
            EuiccDataRejection.DUPLICATE_ONE_TIME_KEY,
            eid,
            OptionalInt.of(key.keyIndex()),
            "key appeared in an earlier eUICC of the batch");
      }
    }
    eids.add(eid);
    accepted.data().oneTimeKeys().forEach(k -> points.add(k.publicKey()));
    return result;
  }

  private static EuiccDataVerification rejected(
      EuiccDataRejection reason, Eid eid, OptionalInt keyIndex, String detail) {
    return new EuiccDataVerification.Rejected(reason, Optional.ofNullable(eid), keyIndex, detail);
  }
}
