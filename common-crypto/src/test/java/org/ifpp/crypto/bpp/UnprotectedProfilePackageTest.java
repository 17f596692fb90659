package org.ifpp.crypto.bpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.testing.Profiles;
import org.ifpp.crypto.testing.Vectors;
import org.ifpp.crypto.tlv.TlvWriter;
import org.junit.jupiter.api.Test;

class UnprotectedProfilePackageTest {

  @Test
  void ts48Profiles_parse_andYieldTheirIccids() throws Exception {
    String[] iccids = {"8949449999999990023", "8949449999999990148", "8949449999999990171"};
    for (int i = 0; i < 3; i++) {
      byte[] der = Vectors.read(Vectors.TS48_PROFILES[i]);
      try (UnprotectedProfilePackage upp = UnprotectedProfilePackage.parse(der)) {
        assertThat(upp.iccid()).isEqualTo(Iccid.of(iccids[i]));
        assertThat(upp.profileName()).contains("GSMA Generic eUICC Test Profile");
        assertThat(upp.size()).isEqualTo(der.length);
        assertThat(upp.elementCount()).isGreaterThan(20);
        assertThat(upp.toByteArray(SecretAccess.GRANTED)).isEqualTo(der);
        assertThat(upp.toString()).contains(iccids[i]).doesNotContain("GSMA");
      }
    }
  }

  @Test
  void close_wipesThePlainProfile() throws Exception {
    UnprotectedProfilePackage upp =
        UnprotectedProfilePackage.parse(Profiles.tiny("8900000000000000001"));
    upp.close();
    assertThat(upp.isWiped()).isTrue();
  }

  @Test
  void malformedPackages_areTypedErrors() {
    byte[] tiny = Profiles.tiny("8900000000000000001");
    assertCode(new byte[0], ProfilePackageException.Code.MALFORMED_TLV);
    assertCode(null, ProfilePackageException.Code.MALFORMED_TLV);
    assertCode(Arrays.copyOf(tiny, tiny.length - 1), ProfilePackageException.Code.MALFORMED_TLV);
    assertCode(
        TlvWriter.concat(tiny, new byte[] {0x04, 0x00}),
        ProfilePackageException.Code.INVALID_STRUCTURE);
    // No End element: a package cut at a segment boundary.
    assertCode(
        Arrays.copyOf(tiny, tiny.length - 5), ProfilePackageException.Code.INVALID_STRUCTURE);
    // Header not first.
    byte[] end = TlvWriter.encodeConstructed(0xAA, TlvWriter.encode(0x80, new byte[] {0}));
    assertCode(TlvWriter.concat(end, tiny), ProfilePackageException.Code.INVALID_STRUCTURE);
    // ICCID not BCD, wrong length.
    assertCode(
        withIccid(Vectors.hex("89A0000000000000001F")), ProfilePackageException.Code.INVALID_VALUE);
    assertCode(withIccid(Vectors.hex("8900")), ProfilePackageException.Code.INVALID_VALUE);
    assertCode(
        withIccid(Vectors.hex("8900000000FFFFFFFFFF")), ProfilePackageException.Code.INVALID_VALUE);
  }

  @Test
  void parseAdopting_keepsTheGivenBytes_andCloseWipesThem() throws Exception {
    SecretBytes plain = SecretBytes.copyOf(Profiles.tiny("8900000000000000001"));
    UnprotectedProfilePackage upp = UnprotectedProfilePackage.parseAdopting(plain);
    assertThat(upp.iccid()).isEqualTo(Iccid.of("8900000000000000001"));
    assertThat(upp.unsafeView(SecretAccess.GRANTED))
        .isSameAs(plain.unsafeView(SecretAccess.GRANTED));
    upp.close();
    assertThat(plain.isWiped()).isTrue();
  }

  @Test
  void parseAdopting_wipesTheBytesItRefuses() {
    byte[] tiny = Profiles.tiny("8900000000000000001");
    for (byte[] bad :
        new byte[][] {
          new byte[0],
          Arrays.copyOf(tiny, tiny.length - 1),
          Arrays.copyOf(tiny, tiny.length - 5),
          withIccid(Vectors.hex("8900"))
        }) {
      SecretBytes plain = SecretBytes.copyOf(bad);
      assertThatThrownBy(() -> UnprotectedProfilePackage.parseAdopting(plain))
          .isInstanceOf(ProfilePackageException.class);
      assertThat(plain.isWiped()).isTrue();
    }
  }

  @Test
  void header_firstOfEachTagCounts_andMissingFieldsAreRefused() throws Exception {
    byte[] end = TlvWriter.encodeConstructed(0xAA, TlvWriter.encode(0x80, new byte[] {0}));
    byte[] twoIccids =
        TlvWriter.concat(
            TlvWriter.encodeConstructed(
                0xA0,
                TlvWriter.encode(0x80, new byte[] {2}),
                TlvWriter.encode(0x83, Vectors.hex("8900000000000000001F")),
                TlvWriter.encode(0x82, "first".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                TlvWriter.encode(0x83, Vectors.hex("8900")),
                TlvWriter.encode(0x82, new byte[] {(byte) 0xFF})),
            end);
    try (UnprotectedProfilePackage upp = UnprotectedProfilePackage.parse(twoIccids)) {
      assertThat(upp.iccid()).isEqualTo(Iccid.of("8900000000000000001"));
      assertThat(upp.profileName()).contains("first");
    }
    byte[] noVersion =
        TlvWriter.concat(
            TlvWriter.encodeConstructed(
                0xA0, TlvWriter.encode(0x83, Vectors.hex("8900000000000000001F"))),
            end);
    assertCode(noVersion, ProfilePackageException.Code.INVALID_STRUCTURE);
    byte[] noIccid =
        TlvWriter.concat(
            TlvWriter.encodeConstructed(0xA0, TlvWriter.encode(0x80, new byte[] {2})), end);
    assertCode(noIccid, ProfilePackageException.Code.INVALID_STRUCTURE);
  }

  private static byte[] withIccid(byte[] iccid) {
    return TlvWriter.concat(
        TlvWriter.encodeConstructed(
            0xA0, TlvWriter.encode(0x80, new byte[] {2}), TlvWriter.encode(0x83, iccid)),
        TlvWriter.encodeConstructed(0xAA, TlvWriter.encode(0x80, new byte[] {0})));
  }

  private static void assertCode(byte[] der, ProfilePackageException.Code code) {
    assertThatThrownBy(() -> UnprotectedProfilePackage.parse(der))
        .isInstanceOfSatisfying(
            ProfilePackageException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
