package org.ifpp.crypto.ec;

import java.util.EnumMap;
import java.util.Map;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;

/** Cached BouncyCastle domain parameters of the IFPP curves (lookups by name are slow). */
final class EcDomains {

  private static final Map<Curve, ECDomainParameters> DOMAINS = new EnumMap<>(Curve.class);

  static {
    for (Curve c : Curve.values()) {
      X9ECParameters x9 = ECNamedCurveTable.getByName(c.jcaName());
      DOMAINS.put(c, new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH()));
    }
  }

  private EcDomains() {}

  static ECDomainParameters of(Curve curve) {
    return DOMAINS.get(curve);
  }
}
