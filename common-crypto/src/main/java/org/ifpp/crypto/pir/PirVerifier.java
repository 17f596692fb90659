package org.ifpp.crypto.pir;

import org.ifpp.crypto.ec.EcPublicKey;

/**
 * Verifies a signed Profile Installation Result with the eUICC's public key (PK.EUICC.ECDSA from
 * its validated certificate): the Key Maker's check of DPFF05-07 (IFPP.md section 3).
 */
public final class PirVerifier {

  private PirVerifier() {}

  /** Parses strictly and verifies euiccSignPIR over the BF27 TLV; never throws for bad input. */
  public static PirVerification verify(byte[] bytes, EcPublicKey euiccKey) {
    PirParseResult parsed = PirStructure.check(bytes);
    if (parsed instanceof PirParseResult.Malformed m) {
      return new PirVerification.Rejected(m.error(), m.detail());
    }
    SignedProfileInstallationResult result = ((PirParseResult.Parsed) parsed).result();
    return result.verify(euiccKey)
        ? new PirVerification.Verified(result)
        : new PirVerification.Rejected(PirError.INVALID_SIGNATURE, "euiccSignPIR does not verify");
  }
}
