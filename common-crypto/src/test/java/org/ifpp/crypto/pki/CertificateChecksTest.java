package org.ifpp.crypto.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CertificateChecksTest {

  private static byte[] hex(String h) {
    return HexFormat.of().parseHex(h.replace(" ", ""));
  }

  @Test
  void canonicalDerSignature_becomesRAndSLeftPadded() {
    // r = 0x80.. (needs a 00 sign byte), s = 0x01 (one byte)
    String r = "80" + "11".repeat(31);
    byte[] raw = CertificateChecks.rawSignature(hex("3026 0221 00" + r + " 0201 01"));
    assertThat(raw).hasSize(64);
    assertThat(HexFormat.of().formatHex(raw)).isEqualTo(r.toLowerCase() + "00".repeat(31) + "01");
  }

  @Test
  void nonCanonicalOrOutOfRangeSignatures_areRefused() {
    assertThat(CertificateChecks.rawSignature(hex("3007 0202 0001 0201 01")))
        .as("needless leading zero")
        .isNull();
    assertThat(CertificateChecks.rawSignature(hex("3006 0201 81 0201 01"))).as("negative").isNull();
    assertThat(CertificateChecks.rawSignature(hex("3006 0201 00 0201 01"))).as("zero").isNull();
    assertThat(CertificateChecks.rawSignature(hex("3081 06 0201 01 0201 01")))
        .as("long-form length")
        .isNull();
    assertThat(CertificateChecks.rawSignature(hex("3009 0201 01 0201 01 0201 01")))
        .as("three integers")
        .isNull();
    assertThat(CertificateChecks.rawSignature(hex("3027 0222 0001" + "11".repeat(32) + " 0201 01")))
        .as("over 256 bits")
        .isNull();
    assertThat(CertificateChecks.rawSignature(hex("3006 0201 01 0201 01 00")))
        .as("trailing byte")
        .isNull();
    assertThat(CertificateChecks.rawSignature(new byte[0])).isNull();
  }

  @Test
  void certificateTimes_readDirectly_equalBouncyCastlesDates() throws Exception {
    for (org.bouncycastle.asn1.ASN1Primitive t :
        new org.bouncycastle.asn1.ASN1Primitive[] {
          new org.bouncycastle.asn1.DERUTCTime("500101000000Z"),
          new org.bouncycastle.asn1.DERUTCTime("491231235959Z"),
          new org.bouncycastle.asn1.DERUTCTime("260229120000Z"),
          new org.bouncycastle.asn1.DERUTCTime("280229120000Z"),
          new org.bouncycastle.asn1.DERGeneralizedTime("20500101000000Z"),
          new org.bouncycastle.asn1.DERGeneralizedTime("99991231235959Z"),
          new org.bouncycastle.asn1.DERGeneralizedTime("20261205063000.5Z")
        }) {
      org.bouncycastle.asn1.x509.Time time = org.bouncycastle.asn1.x509.Time.getInstance(t);
      assertThat(CertificateChecks.instant(time)).isEqualTo(time.getDate().toInstant());
    }
  }
}
