package org.ifpp.crypto.bpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.HostId;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.pir.BppCommandId;
import org.ifpp.crypto.pir.ErrorReason;
import org.ifpp.crypto.signing.SoftwareSigner;
import org.ifpp.crypto.testing.Profiles;
import org.ifpp.crypto.testing.TestEuicc;
import org.ifpp.crypto.testing.TestIdentities;
import org.ifpp.crypto.testing.Vectors;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;
import org.ifpp.crypto.tlv.TlvWriter;
import org.junit.jupiter.api.Test;

/** The IFPP.md section 6 checks, in order, each with its SGP.22 error reason. */
class BoundProfilePackageOpenerTest {

  static final Eid EID = Eid.of("89049032123451234512345678901235");
  static final HostId HOST = HostId.ofText("KM");
  static final Curve CURVE = Curve.P256;
  static final SecureRandom RANDOM = new SecureRandom();
  static final SoftwareSigner SIGNER = TestIdentities.dpSigner(CURVE);

  static TestEuicc euicc() {
    return new TestEuicc(EID, TestIdentities.ci(CURVE), CURVE, 2, RANDOM);
  }

  static byte[] bind(TestEuicc euicc, byte[] profile, boolean ppk) throws Exception {
    try (UnprotectedProfilePackage upp = UnprotectedProfilePackage.parse(profile)) {
      BoundProfilePackageBuilder b =
          BoundProfilePackageBuilder.bind(SIGNER, HOST, EID, euicc.oneTimeKey(0));
      if (!ppk) {
        return b.sessionKeyMode(upp).build().encode();
      }
      try (ProfileProtectionKeys ppks = ProfileProtectionKeys.generate(RANDOM)) {
        return b.ppkMode(ProtectedProfilePackage.protect(upp, ppks), ppks).build().encode();
      }
    }
  }

  static OpeningResult open(byte[] bpp, TestEuicc euicc) {
    return BoundProfilePackageOpener.open(bpp, TestIdentities.dpBinding(CURVE), euicc);
  }

  static void assertRejected(OpeningResult r, ErrorReason reason, BppCommandId at) {
    assertThat(r).isInstanceOf(OpeningResult.Rejected.class);
    OpeningResult.Rejected rej = (OpeningResult.Rejected) r;
    assertThat(rej.reason()).isEqualTo(reason);
    assertThat(rej.bppCommandId()).isEqualTo(at);
  }

  @Test
  void finalisedProduction_isRefusedFirst() throws Exception {
    TestEuicc e = euicc();
    byte[] bpp = bind(e, Profiles.tiny("8900000000000000001"), false);
    e.finaliseProduction();
    assertRejected(open(bpp, e), ErrorReason.IFPP_DISABLED, BppCommandId.INITIALISE_SECURE_CHANNEL);
    assertThat(e.isConsumed(e.oneTimeKey(0))).isFalse();
  }

  @Test
  void chipWithEveryKeyConsumed_refusesWithKeysExhausted() throws Exception {
    TestEuicc e = euicc();
    byte[] bpp = bind(e, Profiles.tiny("8900000000000000001"), false);
    e.consume(e.oneTimeKey(0));
    e.consume(e.oneTimeKey(1));
    assertThat(e.ifppEnabled()).isTrue();
    assertRejected(
        open(bpp, e), ErrorReason.KEYS_EXHAUSTED, BppCommandId.INITIALISE_SECURE_CHANNEL);
  }

  @Test
  void certificateNotFromTrustedCi_isInvalidCertificate() throws Exception {
    TestEuicc e = euicc();
    byte[] bpp = bind(e, Profiles.tiny("8900000000000000001"), false);
    OpeningResult r =
        BoundProfilePackageOpener.open(bpp, TestIdentities.dpBinding(Curve.BRAINPOOL_P256R1), e);
    assertRejected(r, ErrorReason.INVALID_CERTIFICATE, BppCommandId.INITIALISE_SECURE_CHANNEL);
    assertRejected(
        BoundProfilePackageOpener.open(bpp, null, e),
        ErrorReason.INVALID_CERTIFICATE,
        BppCommandId.INITIALISE_SECURE_CHANNEL);
  }

  @Test
  void wrongRemoteOpId_isUnsupportedRemoteOperationType() throws Exception {
    TestEuicc e = euicc();
    byte[] bpp = bind(e, Profiles.tiny("8900000000000000001"), false);
    byte[] forged = withResignedBf23(bpp, e, new byte[] {2}, 0x88, 0x10);
    assertRejected(
        open(forged, e),
        ErrorReason.UNSUPPORTED_REMOTE_OPERATION_TYPE,
        BppCommandId.INITIALISE_SECURE_CHANNEL);
  }

  @Test
  void wrongCrt_isUnsupportedCrtValues() throws Exception {
    TestEuicc e = euicc();
    byte[] bpp = bind(e, Profiles.tiny("8900000000000000001"), false);
    assertRejected(
        open(withResignedBf23(bpp, e, new byte[] {1}, 0x88, 0x20), e),
        ErrorReason.UNSUPPORTED_CRT_VALUES,
        BppCommandId.INITIALISE_SECURE_CHANNEL);
    assertRejected(
        open(withResignedBf23(bpp, e, new byte[] {1}, 0x80, 0x10), e),
        ErrorReason.UNSUPPORTED_CRT_VALUES,
        BppCommandId.INITIALISE_SECURE_CHANNEL);
  }

  @Test
  void packageForAnotherEuicc_isInvalidSignature() throws Exception {
    TestEuicc target = euicc();
    TestEuicc other = euicc();
    byte[] bpp = bind(target, Profiles.tiny("8900000000000000001"), true);
    OpeningResult r = open(bpp, other);
    assertRejected(r, ErrorReason.INVALID_SIGNATURE, BppCommandId.INITIALISE_SECURE_CHANNEL);
    assertThat(((OpeningResult.Rejected) r).consumedOneTimeKey()).isEmpty();
  }

  @Test
  void replayAfterConsume_isInvalidSignature() throws Exception {
    TestEuicc e = euicc();
    byte[] bpp = bind(e, Profiles.tiny("8900000000000000001"), true);
    assertThat(open(bpp, e)).isInstanceOf(OpeningResult.Installed.class);
    assertRejected(
        open(bpp, e), ErrorReason.INVALID_SIGNATURE, BppCommandId.INITIALISE_SECURE_CHANNEL);
  }

  @Test
  void metadataIccidDifferentFromProfile_isDataMismatch_andKeyIsConsumed() throws Exception {
    TestEuicc e = euicc();
    try (UnprotectedProfilePackage upp =
        UnprotectedProfilePackage.parse(Profiles.tiny("8900000000000000001"))) {
      byte[] bpp =
          BoundProfilePackageBuilder.bind(SIGNER, HOST, EID, e.oneTimeKey(0))
              .sessionKeyMode(upp)
              .metadata(StoreMetadataRequest.minimal(Iccid.of("8900000000000000002"), "", "x"))
              .build()
              .encode();
      OpeningResult r = open(bpp, e);
      assertRejected(
          r, ErrorReason.INSTALL_FAILED_DUE_TO_DATA_MISMATCH, BppCommandId.LOAD_PROFILE_ELEMENTS);
      assertThat(((OpeningResult.Rejected) r).consumedOneTimeKey()).contains(e.oneTimeKey(0));
      assertThat(e.isConsumed(e.oneTimeKey(0))).isTrue();
    }
  }

  @Test
  void iccidAlreadyInstalled_isRejected() throws Exception {
    TestEuicc e = euicc();
    byte[] bpp = bind(e, Profiles.tiny("8900000000000000001"), true);
    e.markInstalled(Iccid.of("8900000000000000001"));
    assertRejected(
        open(bpp, e),
        ErrorReason.INSTALL_FAILED_DUE_TO_ICCID_ALREADY_EXISTS_ON_EUICC,
        BppCommandId.STORE_METADATA);
  }

  @Test
  void undecodableProfile_isPeProcessingError() {
    TestEuicc e = euicc();
    byte[] meta = StoreMetadataRequest.minimal(Iccid.of("8900000000000000001"), "", "x").encode();
    byte[] truncatedProfile = java.util.Arrays.copyOf(Profiles.tiny("8900000000000000001"), 30);
    byte[] bpp =
        DishonestBinder.bind(
            SIGNER,
            HOST,
            EID,
            e.oneTimeKey(0),
            new byte[] {(byte) 0xBF, 0x24, 0},
            meta,
            truncatedProfile);
    assertRejected(
        open(bpp, e),
        ErrorReason.INSTALL_FAILED_DUE_TO_PE_PROCESSING_ERROR,
        BppCommandId.LOAD_PROFILE_ELEMENTS);
    assertThat(e.isConsumed(e.oneTimeKey(0))).isTrue();
  }

  @Test
  void undecodableMetadata_isIncorrectInputValues_atStoreMetadata() {
    TestEuicc e = euicc();
    byte[] bpp =
        DishonestBinder.bind(
            SIGNER,
            HOST,
            EID,
            e.oneTimeKey(0),
            new byte[] {(byte) 0xBF, 0x24, 0},
            new byte[] {(byte) 0xBF, 0x25, 0x03, 0x01, 0x01, 0x00},
            Profiles.tiny("8900000000000000001"));
    assertRejected(open(bpp, e), ErrorReason.INCORRECT_INPUT_VALUES, BppCommandId.STORE_METADATA);
  }

  @Test
  void dishonestBinderWithHonestContent_isInstalled() {
    TestEuicc e = euicc();
    byte[] meta = StoreMetadataRequest.minimal(Iccid.of("8900000000000000001"), "", "x").encode();
    byte[] bpp =
        DishonestBinder.bind(
            SIGNER,
            HOST,
            EID,
            e.oneTimeKey(0),
            new byte[] {(byte) 0xBF, 0x24, 0},
            meta,
            Profiles.tiny("8900000000000000001"));
    assertThat(open(bpp, e)).isInstanceOf(OpeningResult.Installed.class);
  }

  @Test
  void garbageTruncatedAndOversizedInput_areTypedRejections() throws Exception {
    TestEuicc e = euicc();
    byte[] bpp = bind(e, Profiles.tiny("8900000000000000001"), false);
    List<byte[]> inputs = new ArrayList<>();
    inputs.add(new byte[0]);
    inputs.add(null);
    inputs.add(new byte[] {(byte) 0xBF, 0x36, (byte) 0x80});
    inputs.add(
        new byte[] {
          (byte) 0xBF, 0x36, (byte) 0x84, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF
        });
    inputs.add(new byte[5 * 1024 * 1024]);
    for (int cut = 1; cut < bpp.length; cut += 7) {
      inputs.add(java.util.Arrays.copyOf(bpp, cut));
    }
    byte[] noise = new byte[2000];
    RANDOM.nextBytes(noise);
    inputs.add(noise);
    inputs.add(TlvWriter.concat(bpp, new byte[] {0}));
    for (byte[] in : inputs) {
      OpeningResult r = open(in, e);
      assertRejected(r, ErrorReason.INCORRECT_INPUT_VALUES, BppCommandId.INITIALISE_SECURE_CHANNEL);
    }
    assertThat(e.isConsumed(e.oneTimeKey(0))).isFalse();
  }

  /** Re-signs a BF23 with the given remoteOpId and CRT, keeping the rest of the package. */
  static byte[] withResignedBf23(byte[] bpp, TestEuicc e, byte[] opId, int keyType, int keyLen) {
    Tlv root = TlvReader.readSingle(bpp, TlvLimits.DEFAULT);
    List<Tlv> parts = root.children();
    List<Tlv> isc = parts.get(0).children();
    byte[] signed =
        TlvWriter.concat(
            TlvWriter.encode(0x82, opId),
            isc.get(1).encoded(),
            TlvWriter.encodeConstructed(
                0xA6,
                TlvWriter.encode(0x80, new byte[] {(byte) keyType}),
                TlvWriter.encode(0x81, new byte[] {(byte) keyLen}),
                TlvWriter.encode(0x84, HOST.toBytes())),
            isc.get(3).encoded());
    byte[] sig =
        SIGNER.sign(
            TlvWriter.concat(signed, TlvWriter.encode(0x5F49, e.oneTimeKey(0).toUncompressed())));
    byte[] bf23 = TlvWriter.encode(0xBF23, TlvWriter.concat(signed, TlvWriter.encode(0x5F37, sig)));
    byte[][] rest = new byte[parts.size()][];
    rest[0] = bf23;
    for (int i = 1; i < parts.size(); i++) {
      rest[i] = parts.get(i).encoded();
    }
    return TlvWriter.encodeConstructed(0xBF36, rest);
  }

  static TransactionId anyTx() {
    return TransactionId.fromHex(Vectors.hex(new byte[] {1, 2, 3}));
  }
}
