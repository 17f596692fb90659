package org.ifpp.crypto.signing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcDomains;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.provider.AccpSupport;

/**
 * Verifies ECDSA-SHA256 signatures in the raw {@code r || s} form (64 bytes, BSI TR-03111) used by
 * smdpSign, the Profile Installation Result and one-time key attestations. P-256 runs natively on
 * the Amazon Corretto Crypto Provider when present (about 10x BouncyCastle; the answers are the
 * same, checked by tests); brainpoolP256r1 and P-256 without ACCP use BouncyCastle.
 */
public final class EcdsaVerification {

  private static final Provider ACCP = AccpSupport.provider().orElse(null);
  // SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING } header before 04||X||Y.
  private static final byte[] P256_SPKI_PREFIX =
      HexFormat.of().parseHex("3059301306072a8648ce3d020106082a8648ce3d030107034200");
  private static final ThreadLocal<Signature> ACCP_VERIFY =
      ACCP == null ? null : ThreadLocal.withInitial(EcdsaVerification::newAccpVerifier);
  private static final ThreadLocal<KeyFactory> ACCP_KEYS =
      ACCP == null ? null : ThreadLocal.withInitial(EcdsaVerification::newAccpKeyFactory);

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
    if (ACCP != null && key.curve() == Curve.P256) {
      return verifyNatively(key, message, r, s);
    }
    return verifyBouncyCastle(domain, key, message, r, s);
  }

  /**
   * The BouncyCastle computation (brainpool always; P-256 without ACCP). Package-private: tests.
   */
  static boolean verifyBouncyCastle(
      ECDomainParameters domain, EcPublicKey key, byte[] message, BigInteger r, BigInteger s) {
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

  private static boolean verifyNatively(
      EcPublicKey key, byte[] message, BigInteger r, BigInteger s) {
    // The X.509 (SubjectPublicKeyInfo) form is ACCP's cheapest way in: an ECPublicKeySpec makes it
    // re-encode the curve parameters on every call.
    byte[] spki = Arrays.copyOf(P256_SPKI_PREFIX, P256_SPKI_PREFIX.length + 65);
    System.arraycopy(key.toUncompressed(), 0, spki, P256_SPKI_PREFIX.length, 65);
    try {
      ASN1EncodableVector v = new ASN1EncodableVector(2);
      v.add(new ASN1Integer(r));
      v.add(new ASN1Integer(s));
      byte[] der = new DERSequence(v).getEncoded(ASN1Encoding.DER);
      Signature sig = ACCP_VERIFY.get();
      sig.initVerify(ACCP_KEYS.get().generatePublic(new X509EncodedKeySpec(spki)));
      sig.update(message);
      return sig.verify(der);
    } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
      return false;
    }
  }

  private static Signature newAccpVerifier() {
    try {
      return Signature.getInstance("SHA256withECDSA", ACCP);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ACCP ECDSA unavailable", e);
    }
  }

  private static KeyFactory newAccpKeyFactory() {
    try {
      return KeyFactory.getInstance("EC", ACCP);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ACCP EC key factory unavailable", e);
    }
  }
}
