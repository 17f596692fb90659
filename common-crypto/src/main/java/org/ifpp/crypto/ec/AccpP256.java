package org.ifpp.crypto.ec;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import org.bouncycastle.util.BigIntegers;
import org.ifpp.crypto.provider.AccpSupport;

/**
 * P-256 key generation and ECDH on the Amazon Corretto Crypto Provider, when present ({@link
 * AccpSupport}). Per-thread engine instances; every result is the same as BouncyCastle's (checked
 * by tests).
 */
final class AccpP256 {

  private static final Provider ACCP = AccpSupport.provider().orElse(null);
  private static final ThreadLocal<KeyPairGenerator> KEYGEN =
      ThreadLocal.withInitial(AccpP256::newKeyGen);
  private static final ThreadLocal<KeyAgreement> ECDH =
      ThreadLocal.withInitial(() -> engine(() -> KeyAgreement.getInstance("ECDH", ACCP)));
  private static final ThreadLocal<KeyFactory> FACTORY =
      ThreadLocal.withInitial(() -> engine(() -> KeyFactory.getInstance("EC", ACCP)));
  private static final ECParameterSpec PARAMS =
      ACCP == null ? null : ((ECPublicKey) newKeyGen().generateKeyPair().getPublic()).getParams();

  private AccpP256() {}

  static boolean available() {
    return ACCP != null;
  }

  private interface Engine<T> {
    T get() throws GeneralSecurityException;
  }

  private static <T> T engine(Engine<T> e) {
    try {
      return e.get();
    } catch (GeneralSecurityException ex) {
      throw new IllegalStateException("ACCP engine unavailable", ex);
    }
  }

  private static KeyPairGenerator newKeyGen() {
    return engine(
        () -> {
          KeyPairGenerator g = KeyPairGenerator.getInstance("EC", ACCP);
          g.initialize(new ECGenParameterSpec("secp256r1"));
          return g;
        });
  }

  /** A fresh key pair from AWS-LC's own DRBG. */
  static KeyPair generate() {
    return KEYGEN.get().generateKeyPair();
  }

  static BigInteger scalarOf(KeyPair kp) {
    return ((ECPrivateKey) kp.getPrivate()).getS();
  }

  static byte[] uncompressedOf(KeyPair kp) {
    ECPoint w = ((ECPublicKey) kp.getPublic()).getW();
    byte[] out = new byte[65];
    out[0] = 0x04;
    BigIntegers.asUnsignedByteArray(w.getAffineX(), out, 1, 32);
    BigIntegers.asUnsignedByteArray(w.getAffineY(), out, 33, 32);
    return out;
  }

  static PrivateKey privateKey(BigInteger d) {
    return engine(() -> FACTORY.get().generatePrivate(new ECPrivateKeySpec(d, PARAMS)));
  }

  /** Z = x-coordinate of d * peer, 32 bytes. */
  static byte[] ecdh(PrivateKey own, byte[] peerUncompressed) {
    ECPoint w =
        new ECPoint(
            new BigInteger(1, Arrays.copyOfRange(peerUncompressed, 1, 33)),
            new BigInteger(1, Arrays.copyOfRange(peerUncompressed, 33, 65)));
    return engine(
        () -> {
          KeyAgreement ka = ECDH.get();
          ka.init(own);
          ka.doPhase(FACTORY.get().generatePublic(new ECPublicKeySpec(w, PARAMS)), true);
          return ka.generateSecret();
        });
  }
}
