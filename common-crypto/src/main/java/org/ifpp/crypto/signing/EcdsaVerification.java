package org.ifpp.crypto.signing;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.ifpp.crypto.ec.EcDomains;
import org.ifpp.crypto.ec.EcPublicKey;

/**
 * Verifies ECDSA-SHA256 signatures in the raw {@code r || s} form (64 bytes, BSI TR-03111) used by
 * smdpSign, the Profile Installation Result and one-time key attestations.
 */
public final class EcdsaVerification {

  private EcdsaVerification() {}

  /**
   * @return true only if {@code signature} is a valid 64-byte {@code r||s} signature of {@code
   *     message} under {@code key}; false for any malformed input (never throws for bad data)
   */
  public static boolean verifyRaw(EcPublicKey key, byte[] message, byte[] signature) {
    if (key == null || message == null || signature == null || signature.length != 64) {
      return false;
    }
    // Cached domain: the named-curve table rebuilds curves on every lookup.
    ECDomainParameters domain = EcDomains.of(key.curve());
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    if (r.signum() == 0
        || s.signum() == 0
        || r.compareTo(domain.getN()) >= 0
        || s.compareTo(domain.getN()) >= 0) {
      return false;
    }
    SHA256Digest digest = new SHA256Digest();
    digest.update(message, 0, message.length);
    byte[] hash = new byte[32];
    digest.doFinal(hash, 0);
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(
        false,
        new ECPublicKeyParameters(domain.getCurve().decodePoint(key.toUncompressed()), domain));
    return verifier.verifySignature(hash, r, s);
  }
}
