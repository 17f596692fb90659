package org.ifpp.crypto.ec;

import java.util.Locale;

/**
 * The two curves of IFPP.md section 5: NIST P-256 (mandatory) and brainpoolP256r1. The curve of the
 * Key Maker's binding certificate decides which one a binding uses.
 */
public enum Curve {
  P256("secp256r1", "1.2.840.10045.3.1.7"),
  BRAINPOOL_P256R1("brainpoolP256r1", "1.3.36.3.3.2.8.1.1.7");

  private final String jcaName;
  private final String oid;

  Curve(String jcaName, String oid) {
    this.jcaName = jcaName;
    this.oid = oid;
  }

  /** The standard name accepted by {@code ECGenParameterSpec}. */
  public String jcaName() {
    return jcaName;
  }

  public String oid() {
    return oid;
  }

  /** Accepts {@code p256}, {@code secp256r1}, {@code prime256v1}, {@code brainpoolp256r1}. */
  public static Curve parse(String name) {
    String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT).replace("-", "");
    return switch (n) {
      case "p256", "secp256r1", "prime256v1", "nistp256" -> P256;
      case "brainpoolp256r1", "bp256", "brainpool" -> BRAINPOOL_P256R1;
      default -> throw new IllegalArgumentException("unsupported curve: " + name);
    };
  }

  public static Curve fromOid(String oid) {
    for (Curve c : values()) {
      if (c.oid.equals(oid)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unsupported curve OID: " + oid);
  }
}
