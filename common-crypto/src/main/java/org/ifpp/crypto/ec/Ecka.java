package org.ifpp.crypto.ec;

import java.math.BigInteger;
import java.util.Objects;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;
import org.ifpp.crypto.secret.SecretBytes;

/**
 * Elliptic Curve Key Agreement (ECKA-DH, BSI TR-03111) as SGP.22 section 2.6.4 and IFPP.md section
 * 5 use it: Z is the 32-byte x-coordinate of {@code d * Q}.
 */
public final class Ecka {

  private Ecka() {}

  /**
   * Computes the shared secret Z between our key pair and the peer's public key.
   *
   * @return Z (32 bytes); the caller must close it after use
   * @throws IllegalArgumentException if the curves differ or the key pair has been destroyed
   */
  public static SecretBytes sharedSecret(OneTimeKeyPair own, EcPublicKey peer) {
    Objects.requireNonNull(own, "own");
    Objects.requireNonNull(peer, "peer");
    if (own.curve() != peer.curve()) {
      throw new IllegalArgumentException("ECDH keys are on different curves");
    }
    if (own.isDestroyed()) {
      throw new IllegalArgumentException("key pair has been destroyed");
    }
    ECPoint q = EcDomains.of(peer.curve()).getCurve().decodePoint(peer.toUncompressed());
    BigInteger d = own.scalar();
    // Cofactor is 1 on both curves; a valid peer point times d in [1,n-1] is never infinity.
    ECPoint p = q.multiply(d).normalize();
    if (p.isInfinity()) {
      throw new IllegalArgumentException("ECDH produced the point at infinity");
    }
    return SecretBytes.adopt(
        BigIntegers.asUnsignedByteArray(32, p.getAffineXCoord().toBigInteger()));
  }
}
