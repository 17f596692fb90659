package org.ifpp.crypto.pki;

/**
 * The SGP.22 certificate policy OIDs (section 4.5.2.1, {@code id-rspRole}) that state what a
 * certificate may be used for. The SGP.26 test certificates carry exactly these.
 */
public enum RspRole {
  CI("2.23.146.1.2.1.0"),
  EUICC("2.23.146.1.2.1.1"),
  EUM("2.23.146.1.2.1.2"),
  DP_TLS("2.23.146.1.2.1.3"),
  DP_AUTH("2.23.146.1.2.1.4"),
  /** Profile binding (CERT.DPpb): the role of the Key Maker's binding certificate. */
  DP_PB("2.23.146.1.2.1.5");

  private final String oid;

  RspRole(String oid) {
    this.oid = oid;
  }

  public String oid() {
    return oid;
  }
}
