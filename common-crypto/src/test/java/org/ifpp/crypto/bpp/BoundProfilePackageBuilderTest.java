package org.ifpp.crypto.bpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.HostId;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.signing.Signer;
import org.ifpp.crypto.signing.SigningException;
import org.ifpp.crypto.signing.SoftwareSigner;
import org.ifpp.crypto.testing.TestIdentities;
import org.ifpp.crypto.testing.Vectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BoundProfilePackageBuilderTest {

  private static final Eid EID = Eid.of("89049032123451234512345678901235");
  private static final HostId HOST = HostId.ofText("IFPP");
  private final SecureRandom random = new SecureRandom();

  @ParameterizedTest
  @EnumSource(Curve.class)
  void sessionMode_withFixedInputs_isByteReproducible_andOpensForAnalysis(Curve curve)
      throws Exception {
    SoftwareSigner signer = TestIdentities.dpSigner(curve);
    OneTimeKeyPair euiccKey = OneTimeKeyPair.generate(curve, random);
    SecretBytes ephScalar;
    try (OneTimeKeyPair eph = OneTimeKeyPair.generate(curve, random)) {
      ephScalar = eph.exportPrivateScalar(SecretAccess.GRANTED);
    }
    byte[] plain = Vectors.read(Vectors.TS48_PROFILES[0]);
    byte[][] out = new byte[2][];
    for (int i = 0; i < 2; i++) {
      OneTimeKeyPair eph = OneTimeKeyPair.fromPrivateScalar(curve, ephScalar);
      try (UnprotectedProfilePackage upp = UnprotectedProfilePackage.parse(plain)) {
        out[i] =
            BoundProfilePackageBuilder.bind(signer, HOST, EID, euiccKey.publicKey())
                .sessionKeyMode(upp)
                .ephemeralKey(eph)
                .transactionId(TransactionId.fromHex("000102030405060708090A0B0C0D0E0F"))
                .build()
                .encode();
      }
      assertThat(eph.isDestroyed()).isTrue();
    }
    assertThat(out[0]).isEqualTo(out[1]);

    try (OneTimeKeyPair eph = OneTimeKeyPair.fromPrivateScalar(curve, ephScalar);
        DecodedBoundProfilePackage decoded =
            BoundProfilePackageAnalysis.open(out[0], eph, euiccKey.publicKey(), EID)) {
      assertThat(decoded.profile().toByteArray(SecretAccess.GRANTED)).isEqualTo(plain);
      assertThat(decoded.ppkMode()).isFalse();
      assertThat(decoded.configureIsdp()).isEqualTo(ConfigureIsdpRequest.empty());
      assertThat(decoded.storeMetadata().iccid().value()).isEqualTo("8949449999999990023");
    }
  }

  @ParameterizedTest
  @EnumSource(Curve.class)
  void freshBindings_useFreshEphemeralKeysAndTransactionIds(Curve curve) throws Exception {
    SoftwareSigner signer = TestIdentities.dpSigner(curve);
    OneTimeKeyPair euiccKey = OneTimeKeyPair.generate(curve, random);
    try (UnprotectedProfilePackage upp =
            UnprotectedProfilePackage.parse(Vectors.read(Vectors.TS48_PROFILES[1]));
        ProfileProtectionKeys ppks = ProfileProtectionKeys.generate(random)) {
      ProtectedProfilePackage ppp = ProtectedProfilePackage.protect(upp, ppks);
      BoundProfilePackage a =
          BoundProfilePackageBuilder.bind(signer, HOST, EID, euiccKey.publicKey())
              .ppkMode(ppp, ppks)
              .build();
      BoundProfilePackage b =
          BoundProfilePackageBuilder.bind(signer, HOST, EID, euiccKey.publicKey())
              .ppkMode(ppp, ppks)
              .build();
      var ia = a.initialiseSecureChannel();
      var ib = b.initialiseSecureChannel();
      assertThat(ia.otPkDpBytes()).isNotEqualTo(ib.otPkDpBytes());
      assertThat(ia.transactionId()).isNotEqualTo(ib.transactionId());
      // PPK mode copies the stored segments untouched.
      assertThat(a.profileElementSegments()).containsExactlyElementsOf(b.profileElementSegments());
      assertThat(a.profileElementSegments().stream().map(t -> t.encoded()).toList())
          .usingRecursiveComparison()
          .isEqualTo(ppp.segments());
      assertThat(ppks.isWiped()).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(Curve.class)
  void otPkOnAnotherCurveThanTheSigner_isRefused(Curve curve) {
    Curve other = curve == Curve.P256 ? Curve.BRAINPOOL_P256R1 : Curve.P256;
    OneTimeKeyPair k = OneTimeKeyPair.generate(other, random);
    assertThatThrownBy(
            () ->
                BoundProfilePackageBuilder.bind(
                    TestIdentities.dpSigner(curve), HOST, EID, k.publicKey()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                BoundProfilePackageBuilder.bind(
                        TestIdentities.dpSigner(other), HOST, EID, k.publicKey())
                    .build())
        .isInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest
  @EnumSource(Curve.class)
  void signerFailure_stillDestroysTheEphemeralKey(Curve curve) throws Exception {
    Signer failing =
        new Signer() {
          @Override
          public Curve curve() {
            return curve;
          }

          @Override
          public byte[] sign(byte[] message) {
            throw new SigningException("HSM unavailable");
          }
        };
    OneTimeKeyPair euiccKey = OneTimeKeyPair.generate(curve, random);
    OneTimeKeyPair eph = OneTimeKeyPair.generate(curve, random);
    try (UnprotectedProfilePackage upp =
        UnprotectedProfilePackage.parse(Vectors.read(Vectors.TS48_PROFILES[0]))) {
      assertThatThrownBy(
              () ->
                  BoundProfilePackageBuilder.bind(failing, HOST, EID, euiccKey.publicKey())
                      .sessionKeyMode(upp)
                      .ephemeralKey(eph)
                      .build())
          .isInstanceOf(SigningException.class);
    }
    assertThat(eph.isDestroyed()).isTrue();
  }
}
