package org.ifpp.crypto.ec;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;

/**
 * An ephemeral or one-time ECDH key pair: the Key Maker's otSK.DP/otPK.DP (fresh per binding,
 * GENS06) or an eUICC's otSK.EUICC/otPK.EUICC (one profile per key, GENS08), IFPP.md sections 4-5.
 *
 * <p>The private scalar never leaves as bytes except through {@link #exportPrivateScalar}, which
 * needs a {@link SecretAccess} token (for simulator persistence and fixtures). {@link #close()}
 * wipes it; {@link #toString()} shows only the public key.
 */
public final class OneTimeKeyPair implements AutoCloseable {

  private final Curve curve;
  private final EcPublicKey publicKey;
  private final SecretBytes scalar;

  private OneTimeKeyPair(Curve curve, EcPublicKey publicKey, SecretBytes scalar) {
    this.curve = curve;
    this.publicKey = publicKey;
    this.scalar = scalar;
  }

  /** Generates a fresh key pair with a scalar uniform in [1, n-1]. */
  public static OneTimeKeyPair generate(Curve curve, SecureRandom random) {
    Objects.requireNonNull(curve, "curve");
    Objects.requireNonNull(random, "random");
    ECDomainParameters domain = EcDomains.of(curve);
    BigInteger n = domain.getN();
    BigInteger d;
    do {
      d = BigIntegers.createRandomBigInteger(n.bitLength(), random);
    } while (d.signum() == 0 || d.compareTo(n) >= 0);
    return fromScalar(curve, d);
  }

  /**
   * Rebuilds a key pair from its 32-byte private scalar (big-endian) and derives the public key.
   *
   * @throws IllegalArgumentException unless the scalar is 32 bytes in [1, n-1]
   */
  public static OneTimeKeyPair fromPrivateScalar(Curve curve, SecretBytes scalar) {
    Objects.requireNonNull(curve, "curve");
    if (scalar == null || scalar.size() != 32) {
      throw new IllegalArgumentException("private scalar must be 32 bytes");
    }
    BigInteger d = new BigInteger(1, scalar.unsafeView(SecretAccess.GRANTED));
    if (d.signum() == 0 || d.compareTo(EcDomains.of(curve).getN()) >= 0) {
      throw new IllegalArgumentException("private scalar out of range [1, n-1]");
    }
    return fromScalar(curve, d);
  }

  private static OneTimeKeyPair fromScalar(Curve curve, BigInteger d) {
    ECDomainParameters domain = EcDomains.of(curve);
    ECPoint q = new FixedPointCombMultiplier().multiply(domain.getG(), d).normalize();
    EcPublicKey pub = EcPublicKey.fromUncompressed(curve, q.getEncoded(false));
    return new OneTimeKeyPair(
        curve, pub, SecretBytes.adopt(BigIntegers.asUnsignedByteArray(32, d)));
  }

  public Curve curve() {
    return curve;
  }

  public EcPublicKey publicKey() {
    return publicKey;
  }

  /**
   * A copy of the 32-byte private scalar, for persistence by the CLI or the eUICC simulator only.
   * The caller must close it.
   */
  public SecretBytes exportPrivateScalar(SecretAccess access) {
    return SecretBytes.copyOf(scalar.unsafeView(access));
  }

  /** The scalar for ECDH inside this package; never stored by the caller. */
  BigInteger scalar() {
    return new BigInteger(1, scalar.unsafeView(SecretAccess.GRANTED));
  }

  /** True once {@link #close()} has wiped the private scalar. */
  public boolean isDestroyed() {
    return scalar.isWiped();
  }

  /** Wipes the private scalar. Idempotent. */
  @Override
  public void close() {
    scalar.close();
  }

  @Override
  public String toString() {
    return "OneTimeKeyPair[" + publicKey + ", private key REDACTED]";
  }
}
