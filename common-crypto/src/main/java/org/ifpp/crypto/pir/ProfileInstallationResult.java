package org.ifpp.crypto.pir;

import java.util.Objects;
import java.util.Optional;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.signing.Signer;

/**
 * The content of a Profile Installation Result, {@code ProfileInstallationResultData} (SGP.22
 * section 5.5.3, tag BF27): what the eUICC reports after trying to install a Bound Profile Package
 * (IFPP.md section 6 step 9). The eUICC signs its encoding with {@link #sign(Signer)}.
 *
 * @param transactionId the transactionId of the BPP's InitialiseSecureChannelRequest (tag 80)
 * @param seqNumber the eUICC's notification sequence number (tag 80 in BF2F), non-negative
 * @param notificationAddress where the result is to be delivered (UTF8String, tag 0C)
 * @param iccid the ICCID of the profile, if known (tag 5A in BF2F)
 * @param smdpOid the Key Maker's OID, if any (tag 06; the value of its binding certificate)
 * @param outcome success with the ISD-P AID, or the failing command and the reason
 */
public record ProfileInstallationResult(
    TransactionId transactionId,
    long seqNumber,
    String notificationAddress,
    Optional<Iccid> iccid,
    Optional<String> smdpOid,
    InstallationOutcome outcome) {

  /**
   * @throws IllegalArgumentException if seqNumber is negative or smdpOid is not an OID
   */
  public ProfileInstallationResult {
    Objects.requireNonNull(transactionId, "transactionId");
    Objects.requireNonNull(notificationAddress, "notificationAddress");
    Objects.requireNonNull(iccid, "iccid");
    Objects.requireNonNull(smdpOid, "smdpOid");
    Objects.requireNonNull(outcome, "outcome");
    if (seqNumber < 0) {
      throw new IllegalArgumentException("seqNumber must not be negative");
    }
    if (smdpOid.isPresent()
        && org.bouncycastle.asn1.ASN1ObjectIdentifier.tryFromID(smdpOid.get()) == null) {
      throw new IllegalArgumentException("smdpOid is not an object identifier");
    }
  }

  /** A result without smdpOid, the usual IFPP form. */
  public ProfileInstallationResult(
      TransactionId transactionId,
      long seqNumber,
      String notificationAddress,
      Optional<Iccid> iccid,
      InstallationOutcome outcome) {
    this(transactionId, seqNumber, notificationAddress, iccid, Optional.empty(), outcome);
  }

  public boolean isSuccess() {
    return outcome instanceof InstallationOutcome.SuccessResult;
  }

  /** The DER encoding of ProfileInstallationResultData: the complete BF27 TLV that is signed. */
  public byte[] encodeData() {
    return PirCodec.encodeData(this);
  }

  /**
   * Signs the BF27 encoding with the eUICC's key (euiccSignPIR, raw {@code r||s}).
   *
   * @throws org.ifpp.crypto.signing.SigningException if the signer fails
   */
  public SignedProfileInstallationResult sign(Signer euiccSigner) {
    byte[] data = encodeData();
    byte[] signature = euiccSigner.sign(data);
    return SignedProfileInstallationResult.of(this, data, signature);
  }
}
