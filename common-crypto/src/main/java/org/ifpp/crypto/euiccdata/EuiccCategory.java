package org.ifpp.crypto.euiccdata;

import java.util.Arrays;
import java.util.Optional;

/** SGP.22's {@code euiccCategory} (EUICCInfo2, v2.2.2 section 5.7.8): an INTEGER. */
public enum EuiccCategory {
  OTHER(0, "other"),
  BASIC_EUICC(1, "basicEuicc"),
  MEDIUM_EUICC(2, "mediumEuicc"),
  CONTACTLESS_EUICC(3, "contactlessEuicc");

  private final int value;
  private final String asn1Name;

  EuiccCategory(int value, String asn1Name) {
    this.value = value;
    this.asn1Name = asn1Name;
  }

  public int value() {
    return value;
  }

  /** The value's name in SGP.22's ASN.1, e.g. {@code basicEuicc}. */
  public String asn1Name() {
    return asn1Name;
  }

  public static Optional<EuiccCategory> of(int value) {
    return Arrays.stream(values()).filter(c -> c.value == value).findFirst();
  }

  public static Optional<EuiccCategory> fromAsn1Name(String name) {
    return Arrays.stream(values()).filter(c -> c.asn1Name.equals(name)).findFirst();
  }
}
