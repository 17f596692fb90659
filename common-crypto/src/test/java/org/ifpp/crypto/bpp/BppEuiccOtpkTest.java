package org.ifpp.crypto.bpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ifpp.crypto.bpp.BoundProfilePackageOpenerTest.CURVE;
import static org.ifpp.crypto.bpp.BoundProfilePackageOpenerTest.EID;
import static org.ifpp.crypto.bpp.BoundProfilePackageOpenerTest.HOST;
import static org.ifpp.crypto.bpp.BoundProfilePackageOpenerTest.SIGNER;
import static org.ifpp.crypto.bpp.BoundProfilePackageOpenerTest.assertRejected;
import static org.ifpp.crypto.bpp.BoundProfilePackageOpenerTest.euicc;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.pir.BppCommandId;
import org.ifpp.crypto.pir.ErrorReason;
import org.ifpp.crypto.testing.Profiles;
import org.ifpp.crypto.testing.TestEuicc;
import org.ifpp.crypto.testing.TestIdentities;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;
import org.junit.jupiter.api.Test;

/** SGP.22's bppEuiccOtpk: its encoding, and step 5 selecting the key it names. */
class BppEuiccOtpkTest {

  /** A package bound to the TestEuicc's key {@code i}. */
  static byte[] bindTo(TestEuicc e, int i) throws Exception {
    try (UnprotectedProfilePackage upp =
        UnprotectedProfilePackage.parse(Profiles.tiny("8900000000000000001"))) {
      return BoundProfilePackageBuilder.bind(SIGNER, HOST, EID, e.oneTimeKey(i))
          .sessionKeyMode(upp)
          .build()
          .encode();
    }
  }

  static OpeningResult open(byte[] bpp, BppEuiccOtpk named, OpeningContext context) {
    return BoundProfilePackageOpener.open(bpp, TestIdentities.dpBinding(CURVE), named, context);
  }

  @Test
  void encodesAsSgp22DataObject_5F49_andDecodesBack() {
    TestEuicc e = euicc();
    BppEuiccOtpk id = BppEuiccOtpk.of(e.oneTimeKey(0));
    byte[] tlv = id.encode();
    assertThat(Arrays.copyOf(tlv, 3)).containsExactly(0x5F, 0x49, 0x41);
    assertThat(Arrays.copyOfRange(tlv, 3, tlv.length)).isEqualTo(e.oneTimeKey(0).toUncompressed());
    assertThat(BppEuiccOtpk.decode(tlv)).isEqualTo(id);
    assertThat(BppEuiccOtpk.fromHex(id.toHex())).isEqualTo(id);
    assertThat(id.names(e.oneTimeKey(0))).isTrue();
    assertThat(id.names(e.oneTimeKey(1))).isFalse();
    assertThat(id.toString()).doesNotContain(id.toHex());
  }

  @Test
  void builderNamesTheKeyItBindsTo() {
    TestEuicc e = euicc();
    assertThat(BoundProfilePackageBuilder.bind(SIGNER, HOST, EID, e.oneTimeKey(1)).bppEuiccOtpk())
        .isEqualTo(BppEuiccOtpk.of(e.oneTimeKey(1)));
  }

  @Test
  void malformedValues_areRefused() {
    assertThatThrownBy(() -> BppEuiccOtpk.fromValue(new byte[64]))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] compressed = new byte[65];
    compressed[0] = 0x02;
    assertThatThrownBy(() -> BppEuiccOtpk.fromValue(compressed))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BppEuiccOtpk.fromHex("zz"))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] wrongTag = BppEuiccOtpk.of(euicc().oneTimeKey(0)).encode();
    wrongTag[1] = 0x4A;
    assertThatThrownBy(() -> BppEuiccOtpk.decode(wrongTag))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BppEuiccOtpk.decode(new byte[] {0x5F, 0x49, 0x41, 0x04}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void namedKey_isTheOnlyOneTried_andTheOnlyOneConsumed() throws Exception {
    TestEuicc e = euicc();
    byte[] bpp = bindTo(e, 1);
    Counting c = new Counting(e);
    OpeningResult r = open(bpp, BppEuiccOtpk.of(e.oneTimeKey(1)), c);
    assertThat(r).isInstanceOf(OpeningResult.Installed.class);
    ((OpeningResult.Installed) r).close();
    assertThat(c.listed.get()).isZero();
    assertThat(c.looked.get()).isEqualTo(1);
    assertThat(e.isConsumed(e.oneTimeKey(1))).isTrue();
    assertThat(e.isConsumed(e.oneTimeKey(0))).isFalse();
  }

  @Test
  void packageWithoutTheField_stillTriesEveryUnusedKey() throws Exception {
    TestEuicc e = euicc();
    byte[] bpp = bindTo(e, 1);
    Counting c = new Counting(e);
    OpeningResult r = open(bpp, null, c);
    assertThat(r).isInstanceOf(OpeningResult.Installed.class);
    ((OpeningResult.Installed) r).close();
    assertThat(c.listed.get()).isEqualTo(1);
    assertThat(e.isConsumed(e.oneTimeKey(1))).isTrue();
  }

  @Test
  void fieldNamingAnotherUnusedKey_isInvalidSignature_nothingConsumed() throws Exception {
    TestEuicc e = euicc();
    byte[] bpp = bindTo(e, 1);
    // key 1 is unused and would verify: naming key 0 must not fall back to it
    assertRejected(
        open(bpp, BppEuiccOtpk.of(e.oneTimeKey(0)), e),
        ErrorReason.INVALID_SIGNATURE,
        BppCommandId.INITIALISE_SECURE_CHANNEL);
    assertThat(e.isConsumed(e.oneTimeKey(0))).isFalse();
    assertThat(e.isConsumed(e.oneTimeKey(1))).isFalse();
  }

  @Test
  void fieldNamingASpentKey_isInvalidSignature_andKeysExhaustedWhenNoneLeft() throws Exception {
    TestEuicc e = euicc();
    byte[] bpp = bindTo(e, 0);
    e.consume(e.oneTimeKey(0));
    BppEuiccOtpk named = BppEuiccOtpk.of(e.oneTimeKey(0));
    assertRejected(
        open(bpp, named, e), ErrorReason.INVALID_SIGNATURE, BppCommandId.INITIALISE_SECURE_CHANNEL);
    e.consume(e.oneTimeKey(1));
    assertRejected(
        open(bpp, named, e), ErrorReason.KEYS_EXHAUSTED, BppCommandId.INITIALISE_SECURE_CHANNEL);
  }

  /** The refusal {@link OpeningStream#begin} answers at the first segment, if any. */
  private static Optional<OpeningResult.Rejected> first(
      byte[] bf23, java.security.cert.X509Certificate cert, BppEuiccOtpk named, TestEuicc e) {
    try (OpeningStream s = OpeningStream.begin(bf23, cert, named, e)) {
      return s.result().map(OpeningResult.Rejected.class::cast);
    }
  }

  @Test
  void theFirstSegment_refusesAsOpenWould_andConsumesNothingUntilStepsOneToFivePass()
      throws Exception {
    TestEuicc e = euicc();
    byte[] bpp = bindTo(e, 0);
    byte[] bf23 = TlvReader.readSingle(bpp, TlvLimits.DEFAULT).children().get(0).encoded();
    var cert = TestIdentities.dpBinding(CURVE);
    assertThat(first(bf23, cert, BppEuiccOtpk.of(e.oneTimeKey(1)), e).map(r -> r.reason()))
        .contains(ErrorReason.INVALID_SIGNATURE);
    assertThat(first(bf23, null, null, e).map(r -> r.reason()))
        .contains(ErrorReason.INVALID_CERTIFICATE);
    assertThat(first(new byte[] {1, 2}, cert, null, e).map(r -> r.reason()))
        .contains(ErrorReason.INCORRECT_INPUT_VALUES);
    byte[] tampered = bf23.clone();
    tampered[tampered.length - 1] ^= 1; // the signature's last byte
    Optional<OpeningResult.Rejected> r = first(tampered, cert, null, e);
    assertThat(r.map(OpeningResult.Rejected::reason)).contains(ErrorReason.INVALID_SIGNATURE);
    assertThat(r.get().transactionId()).isPresent();
    assertThat(r.get().consumedOneTimeKey()).isEmpty();
    assertThat(e.isConsumed(e.oneTimeKey(0))).isFalse();
    assertThat(e.isConsumed(e.oneTimeKey(1))).isFalse();
    // steps 1 to 5 pass: step 6 consumes the key named, at the first segment
    assertThat(first(bf23, cert, BppEuiccOtpk.of(e.oneTimeKey(0)), e)).isEmpty();
    assertThat(e.isConsumed(e.oneTimeKey(0))).isTrue();
    assertThat(e.isConsumed(e.oneTimeKey(1))).isFalse();
    assertRejected(
        open(bpp, null, e), ErrorReason.INVALID_SIGNATURE, BppCommandId.INITIALISE_SECURE_CHANNEL);
  }

  @Test
  void bf23OfAKnownAnswerPackage_isUnchangedByTheField() throws Exception {
    // The field travels beside BF36: the package bytes, and so the known answers, do not move.
    TestEuicc e = euicc();
    BoundProfilePackageBuilder b =
        BoundProfilePackageBuilder.bind(SIGNER, HOST, EID, e.oneTimeKey(0));
    b.bppEuiccOtpk();
    try (UnprotectedProfilePackage upp =
        UnprotectedProfilePackage.parse(Profiles.tiny("8900000000000000001"))) {
      Tlv root = TlvReader.readSingle(b.sessionKeyMode(upp).build().encode(), TlvLimits.DEFAULT);
      assertThat(root.children()).extracting(Tlv::tag).doesNotContain(BppEuiccOtpk.TAG);
    }
  }

  /** Counts how step 5 reaches the keys. */
  static final class Counting implements OpeningContext {
    final TestEuicc e;
    final AtomicInteger listed = new AtomicInteger();
    final AtomicInteger looked = new AtomicInteger();

    Counting(TestEuicc e) {
      this.e = e;
    }

    @Override
    public org.ifpp.crypto.ids.Eid eid() {
      return e.eid();
    }

    @Override
    public boolean ifppEnabled() {
      return e.ifppEnabled();
    }

    @Override
    public Optional<EcPublicKey> verifyBindingCertificate(
        java.security.cert.X509Certificate certificate) {
      return e.verifyBindingCertificate(certificate);
    }

    @Override
    public List<OneTimeKeyPair> unusedOneTimeKeys() {
      listed.incrementAndGet();
      return e.unusedOneTimeKeys();
    }

    @Override
    public Optional<OneTimeKeyPair> unusedOneTimeKey(BppEuiccOtpk named) {
      looked.incrementAndGet();
      return e.unusedOneTimeKeys().stream().filter(k -> named.names(k.publicKey())).findFirst();
    }

    @Override
    public boolean consume(EcPublicKey key) {
      return e.consume(key);
    }

    @Override
    public boolean iccidInstalled(org.ifpp.crypto.ids.Iccid iccid) {
      return e.iccidInstalled(iccid);
    }
  }
}
