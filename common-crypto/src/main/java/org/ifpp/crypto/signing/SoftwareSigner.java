package org.ifpp.crypto.signing;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.BigIntegers;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcDomains;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;

/**
 * A {@link Signer} with the private key in software (tests, fixtures, the CLI, the eUICC
 * simulator): ECDSA-SHA256, raw {@code r || s}, on P-256 or brainpoolP256r1. Either randomised, or
 * deterministic per RFC 6979 (HMAC-SHA256 k), which makes bindings with fixed inputs
 * byte-reproducible (IFPP.md section 5). Production binding keys live in an HSM instead.
 */
public final class SoftwareSigner implements Signer {

  private final Curve curve;
  private final ECPrivateKeyParameters key;
  private final boolean deterministic;
  private final SecureRandom random;

  private SoftwareSigner(Curve curve, BigInteger d, boolean deterministic, SecureRandom random) {
    ECDomainParameters domain = EcDomains.of(curve);
    if (d.signum() <= 0 || d.compareTo(domain.getN()) >= 0) {
      throw new IllegalArgumentException("private scalar out of range [1, n-1]");
    }
    this.curve = curve;
    this.key = new ECPrivateKeyParameters(d, domain);
    this.deterministic = deterministic;
    this.random = random;
  }

  /** A randomised signer from a raw 32-byte private scalar. */
  public static SoftwareSigner fromScalar(Curve curve, SecretBytes scalar, SecureRandom random) {
    return new SoftwareSigner(
        curve, toScalar(scalar), false, Objects.requireNonNull(random, "random"));
  }

  /** An RFC 6979 deterministic signer from a raw 32-byte private scalar. */
  public static SoftwareSigner deterministicFromScalar(Curve curve, SecretBytes scalar) {
    return new SoftwareSigner(curve, toScalar(scalar), true, null);
  }

  /** A randomised signer from a PKCS#8 or SEC1 ({@code EC PRIVATE KEY}) PEM. */
  public static SoftwareSigner fromPem(String pem, SecureRandom random) {
    Parsed p = parsePem(pem);
    return new SoftwareSigner(p.curve, p.d, false, Objects.requireNonNull(random, "random"));
  }

  /** An RFC 6979 deterministic signer from a PKCS#8 or SEC1 PEM. */
  public static SoftwareSigner deterministicFromPem(String pem) {
    Parsed p = parsePem(pem);
    return new SoftwareSigner(p.curve, p.d, true, null);
  }

  private static BigInteger toScalar(SecretBytes scalar) {
    if (scalar == null || scalar.size() != 32) {
      throw new IllegalArgumentException("private scalar must be 32 bytes");
    }
    return new BigInteger(1, scalar.unsafeView(SecretAccess.GRANTED));
  }

  private record Parsed(Curve curve, BigInteger d) {}

  private static Parsed parsePem(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(Objects.requireNonNull(pem, "pem")))) {
      Object o = parser.readObject();
      // OpenSSL writes an "EC PARAMETERS" block before the key; skip it.
      while (o != null && !(o instanceof PEMKeyPair) && !(o instanceof PrivateKeyInfo)) {
        o = parser.readObject();
      }
      PrivateKeyInfo info;
      if (o instanceof PEMKeyPair kp) {
        info = kp.getPrivateKeyInfo();
      } else if (o instanceof PrivateKeyInfo pki) {
        info = pki;
      } else {
        throw new IllegalArgumentException("PEM holds no EC private key");
      }
      X962Parameters params =
          X962Parameters.getInstance(info.getPrivateKeyAlgorithm().getParameters());
      if (!params.isNamedCurve()) {
        throw new IllegalArgumentException("EC key must use a named curve");
      }
      Curve curve = Curve.fromOid(ASN1ObjectIdentifier.getInstance(params.getParameters()).getId());
      BigInteger d = ECPrivateKey.getInstance(info.parsePrivateKey()).getKey();
      return new Parsed(curve, d);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read EC private key PEM", e);
    }
  }

  @Override
  public Curve curve() {
    return curve;
  }

  /** True if signatures are RFC 6979 deterministic. */
  public boolean isDeterministic() {
    return deterministic;
  }

  @Override
  public byte[] sign(byte[] message) {
    SHA256Digest digest = new SHA256Digest();
    digest.update(message, 0, message.length);
    byte[] hash = new byte[32];
    digest.doFinal(hash, 0);
    ECDSASigner signer;
    if (deterministic) {
      signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
      signer.init(true, key);
    } else {
      signer = new ECDSASigner();
      signer.init(true, new ParametersWithRandom(key, random));
    }
    BigInteger[] rs = signer.generateSignature(hash);
    byte[] out = new byte[64];
    BigIntegers.asUnsignedByteArray(rs[0], out, 0, 32);
    BigIntegers.asUnsignedByteArray(rs[1], out, 32, 32);
    return out;
  }

  @Override
  public String toString() {
    return "SoftwareSigner["
        + curve.jcaName()
        + (deterministic ? ", RFC 6979" : "")
        + ", REDACTED]";
  }
}
