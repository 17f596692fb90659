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
import java.security.spec.X509EncodedKeySpec;
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
    return engine(
        () -> {
          KeyAgreement ka = ECDH.get();
          ka.init(own);
          ka.doPhase(FACTORY.get().generatePublic(spki(peerUncompressed)), true);
          return ka.generateSecret();
        });
  }

  // SubjectPublicKeyInfo of a P-256 key up to the point: SEQUENCE { SEQUENCE { id-ecPublicKey,
  // prime256v1 }, BIT STRING 04||X||Y }. The DER form is ACCP's cheapest way in: an ECPublicKeySpec
  // makes it re-encode the curve parameters on every call.
  private static final byte[] SPKI_PREFIX =
      java.util.HexFormat.of().parseHex("3059301306072a8648ce3d020106082a8648ce3d030107034200");

  /** The X.509 encoding of a 65-byte uncompressed P-256 point. */
  static X509EncodedKeySpec spki(byte[] uncompressed) {
    if (uncompressed.length != 65 || uncompressed[0] != 0x04) {
      throw new IllegalArgumentException("not an uncompressed P-256 point");
    }
    byte[] der = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + 65);
    System.arraycopy(uncompressed, 0, der, SPKI_PREFIX.length, 65);
    return new X509EncodedKeySpec(der);
  }
}
