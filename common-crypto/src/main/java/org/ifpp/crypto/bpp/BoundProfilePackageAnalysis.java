package org.ifpp.crypto.bpp;

import java.util.Arrays;
import org.ifpp.crypto.bsp.BspKdf;
import org.ifpp.crypto.bsp.SessionKeys;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ec.Ecka;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.secret.SecretBytes;

/**
 * Opens a Bound Profile Package from the server side, for analysis and debugging ({@code ifpp open
 * --otsk-dp}): with the ephemeral otSK.DP that built it and the target otPK.EUICC, the session keys
 * are re-derived and every segment verified and decrypted (SGP.22 section 2.6.4). No eUICC checks
 * (signature, one-time key state) are made: that is {@link BoundProfilePackageOpener}'s job.
 */
public final class BoundProfilePackageAnalysis {

  private BoundProfilePackageAnalysis() {}

  /**
   * @param otSkDp the ephemeral key pair recorded for this binding (not closed here)
   * @param otPkEuicc the one-time key the package targets
   * @param eid the target eUICC
   * @throws ProfilePackageException if the package is malformed or otSK.DP is not the key of BF23
   * @throws BppDecodeException if a segment fails verification
   */
  public static DecodedBoundProfilePackage open(
      byte[] bpp, OneTimeKeyPair otSkDp, EcPublicKey otPkEuicc, Eid eid)
      throws ProfilePackageException, BppDecodeException {
    BoundProfilePackage pkg = BoundProfilePackage.parse(bpp);
    InitialiseSecureChannelRequest isc = pkg.initialiseSecureChannel();
    if (!Arrays.equals(isc.otPkDpBytes(), otSkDp.publicKey().toUncompressed())) {
      throw new ProfilePackageException(
          ProfilePackageException.Code.INVALID_VALUE, "otSK.DP does not match otPK.DP of BF23");
    }
    try (SecretBytes z = Ecka.sharedSecret(otSkDp, otPkEuicc);
        SessionKeys keys = BspKdf.derive(z, isc.hostId(), eid)) {
      return BoundProfilePackageDecoder.decode(pkg, keys);
    }
  }
}
