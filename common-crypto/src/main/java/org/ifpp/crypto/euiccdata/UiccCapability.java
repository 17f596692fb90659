package org.ifpp.crypto.euiccdata;

import java.util.Arrays;
import java.util.Optional;

/**
 * The named bits of SGP.22's {@code UICCCapability} (v2.2.2 section 5.7.8, carried in EUICCInfo2),
 * in bit order; {@link #asn1Name()} is the name the ASN.1 gives each bit.
 */
public enum UiccCapability {
  CONTACTLESS_SUPPORT("contactlessSupport"),
  USIM_SUPPORT("usimSupport"),
  ISIM_SUPPORT("isimSupport"),
  CSIM_SUPPORT("csimSupport"),
  AKA_MILENAGE("akaMilenage"),
  AKA_CAVE("akaCave"),
  AKA_TUAK128("akaTuak128"),
  AKA_TUAK256("akaTuak256"),
  RFU1("rfu1"),
  RFU2("rfu2"),
  GBA_AUTHEN_USIM("gbaAuthenUsim"),
  GBA_AUTHEN_ISIM("gbaAuthenISim"),
  MBMS_AUTHEN_USIM("mbmsAuthenUsim"),
  EAP_CLIENT("eapClient"),
  JAVACARD("javacard"),
  MULTOS("multos"),
  MULTIPLE_USIM_SUPPORT("multipleUsimSupport"),
  MULTIPLE_ISIM_SUPPORT("multipleIsimSupport"),
  MULTIPLE_CSIM_SUPPORT("multipleCsimSupport");

  private final String asn1Name;

  UiccCapability(String asn1Name) {
    this.asn1Name = asn1Name;
  }

  /** The bit's name in SGP.22's ASN.1, e.g. {@code usimSupport}. */
  public String asn1Name() {
    return asn1Name;
  }

  /** The bit number (its position in the BIT STRING). */
  public int bit() {
    return ordinal();
  }

  /** The capability an ASN.1 name denotes, if any. */
  public static Optional<UiccCapability> fromAsn1Name(String name) {
    return Arrays.stream(values()).filter(c -> c.asn1Name.equals(name)).findFirst();
  }
}
