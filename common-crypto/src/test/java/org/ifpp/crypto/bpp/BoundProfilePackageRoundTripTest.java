package org.ifpp.crypto.bpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.stream.Stream;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.HostId;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.signing.SoftwareSigner;
import org.ifpp.crypto.testing.TestEuicc;
import org.ifpp.crypto.testing.TestIdentities;
import org.ifpp.crypto.testing.Vectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Build-then-open in both modes, on both curves, with the three TS.48 profiles. */
class BoundProfilePackageRoundTripTest {

  private static final Eid EID = Eid.of("89049032123451234512345678901235");
  private static final HostId HOST = HostId.ofText("IFPP-KeyMaker");
  private final SecureRandom random = new SecureRandom();

  static Stream<Arguments> cases() {
    return Stream.of(Curve.values())
        .flatMap(
            c ->
                Stream.of(Vectors.TS48_PROFILES)
                    .flatMap(p -> Stream.of(Arguments.of(c, p, true), Arguments.of(c, p, false))));
  }

  @ParameterizedTest(name = "{0} {1} ppk={2}")
  @MethodSource("cases")
  void boundPackage_opensOnTargetEuicc_andYieldsTheSameProfile(
      Curve curve, String profile, boolean ppkMode) throws Exception {
    byte[] plain = Vectors.read(profile);
    TestEuicc euicc = new TestEuicc(EID, TestIdentities.ci(curve), curve, 3, random);
    SoftwareSigner signer = TestIdentities.dpSigner(curve);
    BoundProfilePackage bpp;
    try (UnprotectedProfilePackage upp = UnprotectedProfilePackage.parse(plain)) {
      BoundProfilePackageBuilder builder =
          BoundProfilePackageBuilder.bind(signer, HOST, EID, euicc.oneTimeKey(1));
      if (ppkMode) {
        try (ProfileProtectionKeys ppks = ProfileProtectionKeys.generate(random)) {
          ProtectedProfilePackage ppp = ProtectedProfilePackage.protect(upp, ppks);
          ProtectedProfilePackage stored = ProtectedProfilePackage.decode(ppp.encode());
          assertThat(stored.encode()).isEqualTo(ppp.encode());
          bpp = builder.ppkMode(stored, ppks).build();
        }
      } else {
        bpp = builder.sessionKeyMode(upp).build();
      }
    }
    assertThat(bpp.form()).isEqualTo(BoundProfilePackage.Form.FLAT);
    assertThat(bpp.hasReplaceSessionKeys()).isEqualTo(ppkMode);
    assertThat(bpp.profileElementSegments()).hasSize((plain.length + 1006) / 1007);
    assertThat(java.util.Arrays.stream(bpp.profileSegmentSizes()).max().orElseThrow())
        .isLessThanOrEqualTo(1020);

    OpeningResult result =
        BoundProfilePackageOpener.open(bpp.encode(), TestIdentities.dpBinding(curve), euicc);

    assertThat(result).isInstanceOf(OpeningResult.Installed.class);
    try (OpeningResult.Installed installed = (OpeningResult.Installed) result) {
      assertThat(installed.profile().toByteArray(SecretAccess.GRANTED)).isEqualTo(plain);
      assertThat(installed.iccid()).isEqualTo(installed.metadata().iccid());
      assertThat(installed.usedOneTimeKey()).isEqualTo(euicc.oneTimeKey(1));
      assertThat(installed.ppkMode()).isEqualTo(ppkMode);
      assertThat(installed.transactionId()).contains(bpp.initialiseSecureChannel().transactionId());
    }
    assertThat(euicc.isConsumed(euicc.oneTimeKey(1))).isTrue();
    assertThat(euicc.keyPair(1).isDestroyed()).isTrue();
    assertThat(euicc.isConsumed(euicc.oneTimeKey(0))).isFalse();
  }
}
