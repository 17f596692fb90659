package org.ifpp.crypto.ec;

import java.util.EnumMap;
import java.util.Map;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;

/**
 * Cached BouncyCastle domain parameters of the IFPP curves, for engine-internal use. P-256 uses
 * BouncyCastle's optimised custom curve (specialised field arithmetic, several times faster than
 * the generic one); brainpoolP256r1 has none and uses the generic curve. Caching also keeps the
 * fixed-point precomputation of the generator across calls.
 */
public final class EcDomains {

  private static final Map<Curve, ECDomainParameters> DOMAINS = new EnumMap<>(Curve.class);

  static {
    for (Curve c : Curve.values()) {
      X9ECParameters x9 = CustomNamedCurves.getByName(c.jcaName());
      if (x9 == null) {
        x9 = ECNamedCurveTable.getByName(c.jcaName());
      }
      DOMAINS.put(c, new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH()));
    }
  }

  private EcDomains() {}

  /** The shared domain parameters of {@code curve}. */
  public static ECDomainParameters of(Curve curve) {
    return DOMAINS.get(curve);
  }
}
