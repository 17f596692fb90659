package org.ifpp.crypto.bpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.testing.Profiles;
import org.ifpp.crypto.testing.TestEuicc;
import org.ifpp.crypto.testing.Vectors;
import org.ifpp.crypto.tlv.TlvWriter;
import org.junit.jupiter.api.Test;

class PackageParsingTest {

  @Property(tries = 300)
  void boundPackageParser_throwsOnlyProfilePackageException(@ForAll @Size(max = 400) byte[] in) {
    try {
      BoundProfilePackage.parse(in);
    } catch (ProfilePackageException expected) {
      assertThat(expected.code()).isNotNull();
    }
    try {
      ProtectedProfilePackage.decode(in);
    } catch (ProfilePackageException expected) {
      assertThat(expected.code()).isNotNull();
    }
    try {
      StoreMetadataRequest.parse(in);
    } catch (ProfilePackageException expected) {
      assertThat(expected.code()).isNotNull();
    }
  }

  @Test
  void storedProtectedPackage_withBadSegments_isRefused() {
    byte[] iccid = TlvWriter.encode(0x5A, Iccid.of("8900000000000000001").toBytes());
    byte[] badSegment = TlvWriter.encode(0x86, new byte[20]);
    assertThatThrownBy(
            () ->
                ProtectedProfilePackage.decode(
                    TlvWriter.encodeConstructed(
                        0x30, iccid, TlvWriter.encodeConstructed(0xA3, badSegment))))
        .isInstanceOfSatisfying(
            ProfilePackageException.class,
            e -> assertThat(e.code()).isEqualTo(ProfilePackageException.Code.INVALID_STRUCTURE));
    assertThatThrownBy(
            () -> ProtectedProfilePackage.decode(TlvWriter.encodeConstructed(0x30, iccid)))
        .isInstanceOf(ProfilePackageException.class);
  }

  @Test
  void largeMetadata_spansSeveralMacOnlySegments_andStillOpens() throws Exception {
    TestEuicc e = BoundProfilePackageOpenerTest.euicc();
    String longName = "n".repeat(1500);
    try (UnprotectedProfilePackage upp =
        UnprotectedProfilePackage.parse(Profiles.tiny("8900000000000000001"))) {
      BoundProfilePackage bpp =
          BoundProfilePackageBuilder.bind(
                  BoundProfilePackageOpenerTest.SIGNER,
                  BoundProfilePackageOpenerTest.HOST,
                  BoundProfilePackageOpenerTest.EID,
                  e.oneTimeKey(0))
              .sessionKeyMode(upp)
              .metadata(StoreMetadataRequest.minimal(upp.iccid(), "SP", longName))
              .build();
      assertThat(bpp.storeMetadataSegments()).hasSize(2);
      OpeningResult r = BoundProfilePackageOpenerTest.open(bpp.encode(), e);
      assertThat(r).isInstanceOf(OpeningResult.Installed.class);
      assertThat(((OpeningResult.Installed) r).metadata().encode())
          .isEqualTo(StoreMetadataRequest.minimal(upp.iccid(), "SP", longName).encode());
    }
  }

  @Test
  void analysisWithTheWrongEphemeralKey_isRefused() throws Exception {
    TestEuicc e = BoundProfilePackageOpenerTest.euicc();
    byte[] bpp =
        BoundProfilePackageOpenerTest.bind(e, Vectors.read(Vectors.TS48_PROFILES[0]), true);
    try (OneTimeKeyPair wrong = OneTimeKeyPair.generate(Curve.P256, new SecureRandom())) {
      assertThatThrownBy(
              () ->
                  BoundProfilePackageAnalysis.open(
                      bpp, wrong, e.oneTimeKey(0), BoundProfilePackageOpenerTest.EID))
          .isInstanceOf(ProfilePackageException.class);
    }
    // The eUICC's own key opens it through the opener, whose ppkMode flag is set.
    OpeningResult r = BoundProfilePackageOpenerTest.open(bpp, e);
    assertThat(r).isInstanceOf(OpeningResult.Installed.class);
    try (OpeningResult.Installed ok = (OpeningResult.Installed) r) {
      assertThat(ok.ppkMode()).isTrue();
      assertThat(ok.profile().toByteArray(SecretAccess.GRANTED))
          .isEqualTo(Vectors.read(Vectors.TS48_PROFILES[0]));
    }
  }
}
