package org.ifpp.crypto.bpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.stream.Stream;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.HostId;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.signing.SoftwareSigner;
import org.ifpp.crypto.testing.TestIdentities;
import org.ifpp.crypto.testing.Vectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The PPK-mode head path gives the same bytes as the full build, from the stored head only. */
class PpkModeHeadTest {

  private static final Eid EID = Eid.of("89049032123451234512345678901235");
  private static final HostId HOST = HostId.ofText("IFPP");
  private static final TransactionId TX = TransactionId.fromHex("000102030405060708090A0B0C0D0E0F");
  private final SecureRandom random = new SecureRandom();

  static Stream<Arguments> profilesAndCurves() {
    return Stream.of(Vectors.TS48_PROFILES)
        .flatMap(p -> Stream.of(Curve.values()).map(c -> Arguments.of(p, c)));
  }

  @ParameterizedTest
  @MethodSource("profilesAndCurves")
  void headFollowedByStoredA3_isByteIdenticalToTheFullBuild(String profile, Curve curve)
      throws Exception {
    SoftwareSigner signer = TestIdentities.dpSigner(curve);
    OneTimeKeyPair euiccKey = OneTimeKeyPair.generate(curve, random);
    SecretBytes ephScalar;
    try (OneTimeKeyPair eph = OneTimeKeyPair.generate(curve, random)) {
      ephScalar = eph.exportPrivateScalar(SecretAccess.GRANTED);
    }
    try (UnprotectedProfilePackage upp = UnprotectedProfilePackage.parse(Vectors.read(profile));
        ProfileProtectionKeys ppks = ProfileProtectionKeys.generate(random)) {
      byte[] stored = ProtectedProfilePackage.protect(upp, ppks).encode();

      byte[] full =
          BoundProfilePackageBuilder.bind(signer, HOST, EID, euiccKey.publicKey())
              .ppkMode(ProtectedProfilePackage.decode(stored), ppks)
              .ephemeralKey(OneTimeKeyPair.fromPrivateScalar(curve, ephScalar))
              .transactionId(TX)
              .build()
              .encode();
      OneTimeKeyPair eph = OneTimeKeyPair.fromPrivateScalar(curve, ephScalar);
      BoundProfilePackageHead head =
          BoundProfilePackageBuilder.bind(signer, HOST, EID, euiccKey.publicKey())
              .ppkMode(ProtectedProfilePackage.readHead(stored), ppks)
              .ephemeralKey(eph)
              .transactionId(TX)
              .buildHead();

      assertThat(eph.isDestroyed()).isTrue();
      byte[] assembled =
          concat(
              head.encode(),
              Arrays.copyOfRange(stored, stored.length - head.a3Length(), stored.length));
      assertThat(assembled).isEqualTo(full);
      assertThat(head.a3Length()).isEqualTo(ProtectedProfilePackage.decode(stored).a3Length());
      assertThat(head.initialiseSecureChannel().signature())
          .isEqualTo(BoundProfilePackage.parse(full).initialiseSecureChannel().signature());
    }
  }

  @ParameterizedTest
  @MethodSource("profilesAndCurves")
  void readHead_fromAPrefix_matchesTheWholeEncoding(String profile, Curve curve) throws Exception {
    try (UnprotectedProfilePackage upp = UnprotectedProfilePackage.parse(Vectors.read(profile));
        ProfileProtectionKeys ppks = ProfileProtectionKeys.generate(random)) {
      ProtectedProfilePackage ppp = ProtectedProfilePackage.protect(upp, ppks);
      byte[] stored = ppp.encode();
      ProtectedProfilePackage.StoredHead whole = ProtectedProfilePackage.readHead(stored);
      ProtectedProfilePackage.StoredHead prefix =
          ProtectedProfilePackage.readHead(Arrays.copyOf(stored, 64), stored.length);
      assertThat(prefix).isEqualTo(whole);
      assertThat(whole.iccid()).isEqualTo(ppp.iccid());
      assertThat(whole.profileName()).isEqualTo(ppp.profileName());
      assertThat(whole.a3Length()).isEqualTo(ppp.a3Length());
    }
  }

  @ParameterizedTest
  @MethodSource("profilesAndCurves")
  void readHead_rejectsTruncatedOrWrongLengthEncodings(String profile, Curve curve)
      throws Exception {
    try (UnprotectedProfilePackage upp = UnprotectedProfilePackage.parse(Vectors.read(profile));
        ProfileProtectionKeys ppks = ProfileProtectionKeys.generate(random)) {
      byte[] stored = ProtectedProfilePackage.protect(upp, ppks).encode();
      assertThatThrownBy(
              () -> ProtectedProfilePackage.readHead(Arrays.copyOf(stored, stored.length - 1)))
          .isInstanceOf(ProfilePackageException.class);
      assertThatThrownBy(
              () -> ProtectedProfilePackage.readHead(Arrays.copyOf(stored, 8), stored.length + 1))
          .isInstanceOf(ProfilePackageException.class);
      assertThatThrownBy(
              () -> ProtectedProfilePackage.readHead(Arrays.copyOf(stored, 3), stored.length))
          .isInstanceOf(ProfilePackageException.class);
      byte[] wrongTag = stored.clone();
      wrongTag[0] = 0x31;
      assertThatThrownBy(() -> ProtectedProfilePackage.readHead(wrongTag))
          .isInstanceOf(ProfilePackageException.class);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
