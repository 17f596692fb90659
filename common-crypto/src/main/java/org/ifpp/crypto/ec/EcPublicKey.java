package org.ifpp.crypto.ec;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.jce.spec.ECNamedCurveSpec;

/**
 * An EC public key on one of the IFPP curves, in the uncompressed form {@code 04 || X || Y} (65
 * bytes) used on the wire (tags 5F49 otPK.DP / otPK.EUICC, IFPP.md section 5). The point is
 * validated to lie on the curve at construction.
 */
public final class EcPublicKey {

  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private final Curve curve;
  private final byte[] uncompressed;

  private EcPublicKey(Curve curve, byte[] uncompressed) {
    this.curve = curve;
    this.uncompressed = uncompressed;
  }

  /**
   * @throws IllegalArgumentException if the bytes are not a 65-byte uncompressed point on the curve
   */
  public static EcPublicKey fromUncompressed(Curve curve, byte[] point) {
    if (point == null || point.length != 65 || point[0] != 0x04) {
      throw new IllegalArgumentException(
          "public key must be a 65-byte uncompressed point (04||X||Y)");
    }
    try {
      org.bouncycastle.math.ec.ECPoint p = EcDomains.of(curve).getCurve().decodePoint(point);
      if (p.isInfinity() || !p.isValid()) {
        throw new IllegalArgumentException("public key is not a valid point on " + curve.jcaName());
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("public key is not a valid point on " + curve.jcaName());
    }
    return new EcPublicKey(curve, point.clone());
  }

  public static EcPublicKey fromHex(Curve curve, String hex) {
    return fromUncompressed(curve, HexFormat.of().parseHex(hex.strip()));
  }

  /** Converts a JCA EC public key (any provider) on one of the IFPP curves. */
  public static EcPublicKey fromJca(PublicKey key) {
    if (!(key instanceof ECPublicKey ec)) {
      throw new IllegalArgumentException("not an EC public key");
    }
    Curve curve = curveOf(ec);
    byte[] out = new byte[65];
    out[0] = 0x04;
    writeFixed(ec.getW().getAffineX(), out, 1);
    writeFixed(ec.getW().getAffineY(), out, 33);
    return fromUncompressed(curve, out);
  }

  /** Identifies the curve of a JCA EC key by its domain parameters (prime and generator). */
  public static Curve curveOf(java.security.interfaces.ECKey key) {
    if (key.getParams().getCurve().getField() instanceof java.security.spec.ECFieldFp field) {
      for (Curve c : Curve.values()) {
        ECNamedCurveParameterSpec spec = ECNamedCurveTable.getParameterSpec(c.jcaName());
        if (spec.getCurve().getField().getCharacteristic().equals(field.getP())
            && spec.getG()
                .getAffineXCoord()
                .toBigInteger()
                .equals(key.getParams().getGenerator().getAffineX())) {
          return c;
        }
      }
    }
    throw new IllegalArgumentException("EC key is not on P-256 or brainpoolP256r1");
  }

  private static void writeFixed(BigInteger v, byte[] out, int offset) {
    byte[] b = v.toByteArray();
    int len = Math.min(b.length, 32);
    System.arraycopy(b, b.length - len, out, offset + 32 - len, len);
  }

  public Curve curve() {
    return curve;
  }

  /** The 65-byte uncompressed encoding. */
  public byte[] toUncompressed() {
    return uncompressed.clone();
  }

  public String toHex() {
    return HexFormat.of().withUpperCase().formatHex(uncompressed);
  }

  /** A JCA public key (BouncyCastle key spec, usable with any provider that accepts EC keys). */
  public PublicKey toJca() {
    ECNamedCurveParameterSpec spec = ECNamedCurveTable.getParameterSpec(curve.jcaName());
    ECNamedCurveSpec params =
        new ECNamedCurveSpec(
            curve.jcaName(), spec.getCurve(), spec.getG(), spec.getN(), spec.getH());
    ECPoint w =
        new ECPoint(
            new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33)),
            new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65)));
    try {
      return KeyFactory.getInstance("EC", BC).generatePublic(new ECPublicKeySpec(w, params));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build EC public key", e);
    }
  }

  /** True if this key's point is {@code point} (65 bytes, 04||X||Y), whatever the curve. */
  public boolean hasPoint(byte[] point) {
    return Arrays.equals(uncompressed, point);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EcPublicKey other
        && curve == other.curve
        && Arrays.equals(uncompressed, other.uncompressed);
  }

  @Override
  public int hashCode() {
    return 31 * curve.hashCode() + Arrays.hashCode(uncompressed);
  }

  @Override
  public String toString() {
    return curve.jcaName() + ":" + toHex();
  }
}
