package org.ifpp.keymaker.hsm.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;

/**
 * Verifies raw {@code r||s} ECDSA-SHA256 signatures in software with a pinned provider: Amazon
 * Corretto Crypto Provider for P-256 when its native library loads (about 10x BouncyCastle), else
 * BouncyCastle (which also covers brainpoolP256r1). Used to check every signature the HSM makes
 * before it leaves (SoftHSM upstream #901).
 */
public final class SoftwareVerifier {

  private static final Provider BC = new BouncyCastleProvider();
  private static final Provider ACCP = loadAccp();

  private final Provider provider;
  private final PublicKey key;
  private final ThreadLocal<Signature> verifiers;

  public SoftwareVerifier(EcPublicKey publicKey) {
    this.provider = publicKey.curve() == Curve.P256 && ACCP != null ? ACCP : BC;
    this.key = toProviderKey(publicKey, provider);
    this.verifiers =
        ThreadLocal.withInitial(
            () -> {
              try {
                return Signature.getInstance("SHA256withECDSA", provider);
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
              }
            });
  }

  private static PublicKey toProviderKey(EcPublicKey k, Provider p) {
    try {
      return java.security.KeyFactory.getInstance("EC", p)
          .generatePublic(new java.security.spec.X509EncodedKeySpec(k.toJca().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot import the verification key", e);
    }
  }

  private static Provider loadAccp() {
    try {
      Class<?> c =
          Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider");
      Provider p = (Provider) c.getField("INSTANCE").get(null);
      c.getMethod("assertHealthy").invoke(p);
      return p;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return null;
    }
  }

  /** The name of the provider that verifies. */
  public String providerName() {
    return provider.getName();
  }

  /** True only if {@code rs} is a valid 64-byte raw signature of {@code message}. */
  public boolean verify(byte[] message, byte[] rs) {
    if (rs == null || rs.length != 64) {
      return false;
    }
    try {
      Signature v = verifiers.get();
      v.initVerify(key);
      v.update(message);
      return v.verify(toDer(rs));
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** Raw {@code r||s} to the DER SEQUENCE of two INTEGERs that JCA providers verify. */
  static byte[] toDer(byte[] rs) {
    byte[] r = new BigInteger(1, Arrays.copyOfRange(rs, 0, 32)).toByteArray();
    byte[] s = new BigInteger(1, Arrays.copyOfRange(rs, 32, 64)).toByteArray();
    int len = 2 + r.length + 2 + s.length;
    byte[] out = new byte[2 + len];
    int i = 0;
    out[i++] = 0x30;
    out[i++] = (byte) len;
    out[i++] = 0x02;
    out[i++] = (byte) r.length;
    System.arraycopy(r, 0, out, i, r.length);
    i += r.length;
    out[i++] = 0x02;
    out[i++] = (byte) s.length;
    System.arraycopy(s, 0, out, i, s.length);
    return out;
  }
}
