package org.ifpp.crypto.euiccdata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.signing.EcdsaVerification;
import org.ifpp.crypto.signing.Signer;

/**
 * The eUICC data an EUM exports for one chip and the Key Maker imports (IFPP.md section 4 steps 1
 * and 3, DPFF10): the EID, CERT.EUICC, CERT.EUM, and the one-time public keys each signed by the
 * eUICC, and optionally the chip's capabilities (EUICCInfo2) signed by the eUICC. Format: {@code
 * docs/euicc-data-format.md} (tag E1). Immutable; nothing here is secret.
 *
 * <p>Construction checks the shape only; {@link EuiccDataVerifier} checks the content.
 */
public final class EuiccData {

  private final Eid eid;
  private final byte[] euiccCertificate;
  private final byte[] eumCertificate;
  private final List<SignedOneTimePublicKey> oneTimeKeys;
  private final EuiccInfo2 euiccInfo2;
  private final byte[] euiccInfo2Signature;

  private EuiccData(
      Eid eid,
      byte[] euiccCertificate,
      byte[] eumCertificate,
      List<SignedOneTimePublicKey> keys,
      EuiccInfo2 euiccInfo2,
      byte[] euiccInfo2Signature) {
    this.eid = eid;
    this.euiccCertificate = euiccCertificate;
    this.eumCertificate = eumCertificate;
    this.oneTimeKeys = keys;
    this.euiccInfo2 = euiccInfo2;
    this.euiccInfo2Signature = euiccInfo2Signature;
  }

  /**
   * @param euiccCertificate DER of CERT.EUICC.ECDSA
   * @param eumCertificate DER of CERT.EUM.ECDSA
   * @throws IllegalArgumentException if there is no one-time key
   */
  public static EuiccData of(
      Eid eid,
      byte[] euiccCertificate,
      byte[] eumCertificate,
      List<SignedOneTimePublicKey> oneTimeKeys) {
    Objects.requireNonNull(eid, "eid");
    Objects.requireNonNull(euiccCertificate, "euiccCertificate");
    Objects.requireNonNull(eumCertificate, "eumCertificate");
    if (oneTimeKeys == null || oneTimeKeys.isEmpty()) {
      throw new IllegalArgumentException("eUICC data needs at least one one-time key");
    }
    return new EuiccData(
        eid,
        euiccCertificate.clone(),
        eumCertificate.clone(),
        List.copyOf(oneTimeKeys),
        null,
        null);
  }

  /**
   * This data with the chip's capabilities and the eUICC's signature over them ({@link
   * #euiccInfo2Tbs}).
   *
   * @throws IllegalArgumentException if the signature is not 64 bytes
   */
  public EuiccData withEuiccInfo2(EuiccInfo2 info, byte[] signature) {
    Objects.requireNonNull(info, "info");
    if (signature == null || signature.length != 64) {
      throw new IllegalArgumentException("signature must be 64 bytes (r||s)");
    }
    return new EuiccData(
        eid, euiccCertificate, eumCertificate, oneTimeKeys, info, signature.clone());
  }

  /** As the EUM exports it: the chip's capabilities signed by the eUICC's key. */
  public EuiccData withEuiccInfo2(EuiccInfo2 info, Signer euiccSigner) {
    return withEuiccInfo2(info, euiccSigner.sign(euiccInfo2Tbs(eid, info)));
  }

  /**
   * The bytes the eUICC signs over its capabilities: {@code 5A 10 EID || BF22 ...} (the DER of the
   * EID as in the record, then EUICCInfo2 as carried). It starts as a one-time key's TBS does, but
   * continues with BF22 where that one continues with an INTEGER, so neither can pass for the
   * other.
   */
  public static byte[] euiccInfo2Tbs(Eid eid, EuiccInfo2 info) {
    byte[] id = eid.toBytes();
    byte[] body = info.encoded();
    byte[] out = new byte[2 + id.length + body.length];
    out[0] = 0x5A;
    out[1] = (byte) id.length;
    System.arraycopy(id, 0, out, 2, id.length);
    System.arraycopy(body, 0, out, 2 + id.length, body.length);
    return out;
  }

  /** True only if the data carries capabilities whose signature verifies under {@code euiccKey}. */
  public boolean euiccInfo2Verifies(EcPublicKey euiccKey) {
    return euiccInfo2 != null
        && EcdsaVerification.verifyRaw(
            euiccKey, euiccInfo2Tbs(eid, euiccInfo2), euiccInfo2Signature);
  }

  /** The chip's capabilities (EUICCInfo2), if the EUM exported them. */
  public Optional<EuiccInfo2> euiccInfo2() {
    return Optional.ofNullable(euiccInfo2);
  }

  /** The eUICC's signature over {@link #euiccInfo2Tbs}, present with {@link #euiccInfo2()}. */
  public Optional<byte[]> euiccInfo2Signature() {
    return Optional.ofNullable(euiccInfo2Signature).map(byte[]::clone);
  }

  /**
   * What the (simulated) EUM produces: signs each one-time public key with the eUICC's key; the
   * keys get the indexes 0, 1, 2, ... in list order.
   */
  public static EuiccData produce(
      Eid eid,
      byte[] euiccCertificate,
      byte[] eumCertificate,
      List<EcPublicKey> oneTimePublicKeys,
      Signer euiccSigner) {
    List<SignedOneTimePublicKey> keys = new ArrayList<>();
    for (int i = 0; i < oneTimePublicKeys.size(); i++) {
      keys.add(SignedOneTimePublicKey.sign(eid, i, oneTimePublicKeys.get(i), euiccSigner));
    }
    return of(eid, euiccCertificate, eumCertificate, keys);
  }

  /** Parses the DER form (tag E1) strictly; never throws for bad input. */
  public static EuiccDataParseResult parse(byte[] der) {
    return EuiccDataCodec.parse(der);
  }

  /** The DER form (tag E1). */
  public byte[] encode() {
    return EuiccDataCodec.encode(this);
  }

  public Eid eid() {
    return eid;
  }

  public byte[] euiccCertificate() {
    return euiccCertificate.clone();
  }

  public byte[] eumCertificate() {
    return eumCertificate.clone();
  }

  public List<SignedOneTimePublicKey> oneTimeKeys() {
    return oneTimeKeys;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EuiccData other
        && eid.equals(other.eid)
        && Arrays.equals(euiccCertificate, other.euiccCertificate)
        && Arrays.equals(eumCertificate, other.eumCertificate)
        && oneTimeKeys.equals(other.oneTimeKeys)
        && Objects.equals(euiccInfo2, other.euiccInfo2)
        && Arrays.equals(euiccInfo2Signature, other.euiccInfo2Signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(eid, Arrays.hashCode(euiccCertificate), oneTimeKeys);
  }

  @Override
  public String toString() {
    return "EuiccData[" + eid + ", " + oneTimeKeys.size() + " one-time keys]";
  }
}
