package org.ifpp.crypto.euiccdata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.signing.Signer;

/**
 * The eUICC data an EUM exports for one chip and the Key Maker imports (IFPP.md section 4 steps 1
 * and 3, DPFF10): the EID, CERT.EUICC, CERT.EUM, and the one-time public keys each signed by the
 * eUICC. Format: {@code docs/euicc-data-format.md} (tag E1). Immutable; nothing here is secret.
 *
 * <p>Construction checks the shape only; {@link EuiccDataVerifier} checks the content.
 */
public final class EuiccData {

  private final Eid eid;
  private final byte[] euiccCertificate;
  private final byte[] eumCertificate;
  private final List<SignedOneTimePublicKey> oneTimeKeys;

  private EuiccData(
      Eid eid, byte[] euiccCertificate, byte[] eumCertificate, List<SignedOneTimePublicKey> keys) {
    this.eid = eid;
    this.euiccCertificate = euiccCertificate;
    this.eumCertificate = eumCertificate;
    this.oneTimeKeys = keys;
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
        eid, euiccCertificate.clone(), eumCertificate.clone(), List.copyOf(oneTimeKeys));
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
        && oneTimeKeys.equals(other.oneTimeKeys);
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
