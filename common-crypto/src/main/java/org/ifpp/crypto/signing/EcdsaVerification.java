package org.ifpp.crypto.signing;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
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
  private static final ECParameterSpec P256 = ACCP == null ? null : p256Params();
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
    byte[] point = key.toUncompressed();
    ECPoint w =
        new ECPoint(
            new BigInteger(1, Arrays.copyOfRange(point, 1, 33)),
            new BigInteger(1, Arrays.copyOfRange(point, 33, 65)));
    try {
      ASN1EncodableVector v = new ASN1EncodableVector(2);
      v.add(new ASN1Integer(r));
      v.add(new ASN1Integer(s));
      byte[] der = new DERSequence(v).getEncoded(ASN1Encoding.DER);
      Signature sig = ACCP_VERIFY.get();
      sig.initVerify(ACCP_KEYS.get().generatePublic(new ECPublicKeySpec(w, P256)));
      sig.update(message);
      return sig.verify(der);
    } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
      return false;
    }
  }

  private static ECParameterSpec p256Params() {
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec(Curve.P256.jcaName()));
      return params.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 parameters unavailable", e);
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
