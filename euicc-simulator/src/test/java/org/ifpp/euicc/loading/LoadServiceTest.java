package org.ifpp.euicc.loading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ifpp.crypto.bpp.StoreMetadataRequest;
import org.ifpp.crypto.bpp.UnprotectedProfilePackage;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.pir.ErrorReason;
import org.ifpp.crypto.pir.InstallationOutcome;
import org.ifpp.crypto.pir.PirVerification;
import org.ifpp.crypto.pir.PirVerifier;
import org.ifpp.crypto.pki.DevelopmentCredential;
import org.ifpp.crypto.pki.DevelopmentPki;
import org.ifpp.euicc.chip.Chip;
import org.ifpp.euicc.chip.OneTimeKeySlot;
import org.ifpp.euicc.credentials.CertificateFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The eUICC checks of IFPP.md section 6, one test per check and the anti-replay / anti-clone /
 * restart / concurrency properties, against real packages built by common-crypto's builder from a
 * TS.48 test profile.
 */
class LoadServiceTest {

  @TempDir Path dir;
  LoadFixture f;
  Eid eid;

  @BeforeEach
  void setUp() {
    f = new LoadFixture(dir);
    eid = f.newChip();
  }

  @Test
  void manufacturingDate_isItsCertificatesNotBefore_givenByTheMakerAndReadAfterARestart() {
    Instant notBefore = f.chips.get(eid).identity().certificate().getNotBefore().toInstant();
    assertThat(f.chips.get(eid).manufacturedAt()).isEqualTo(notBefore);
    f.restart();
    assertThat(f.chips.get(eid).manufacturedAt()).isEqualTo(notBefore);
  }

  EcPublicKey euiccKey(Eid e) {
    Chip chip = f.chips.get(e);
    return EcPublicKey.fromJca(chip.identity().certificate().getPublicKey());
  }

  InstallationOutcome verifiedOutcome(Eid e, LoadOutcome o) {
    PirVerification v = PirVerifier.verify(o.profileInstallationResult(), euiccKey(e));
    assertThat(v).isInstanceOf(PirVerification.Verified.class);
    return ((PirVerification.Verified) v).result().result().outcome();
  }

  void assertRejected(LoadOutcome o, String reason, ErrorReason pirReason) {
    assertThat(o.installed()).isFalse();
    assertThat(o.errorReason()).contains(reason);
    InstallationOutcome outcome = verifiedOutcome(o.eid(), o);
    assertThat(outcome).isInstanceOf(InstallationOutcome.ErrorResult.class);
    assertThat(((InstallationOutcome.ErrorResult) outcome).errorReason()).isEqualTo(pirReason);
    assertThat(f.status(o.eid()).profiles()).as("no partial profile").isEmpty();
  }

  // ---- the happy paths --------------------------------------------------------------------

  @Test
  void sessionKeyModePackage_installs_andTheSignedResultVerifies() {
    byte[] bpp = f.bind(eid, 0);
    LoadOutcome o = f.load(eid, bpp);

    assertThat(o.installed()).isTrue();
    assertThat(o.remainingOneTimeKeys()).isEqualTo(3);
    assertThat(verifiedOutcome(eid, o)).isInstanceOf(InstallationOutcome.SuccessResult.class);
    try (UnprotectedProfilePackage upp = LoadFixture.profile()) {
      assertThat(o.iccid()).contains(upp.iccid());
      var installed = f.status(eid).profiles();
      assertThat(installed).hasSize(1);
      assertThat(installed.get(0).iccid()).isEqualTo(upp.iccid());
      assertThat(installed.get(0).contentSha256()).hasSize(64);
    }
    assertThat(f.keyStates(eid).get(0)).isEqualTo(OneTimeKeySlot.State.CONSUMED);
  }

  @Test
  void ppkModePackage_installs() {
    LoadOutcome o = f.load(eid, f.bindPpk(eid, 2));
    assertThat(o.installed()).isTrue();
    assertThat(f.keyStates(eid).get(2)).isEqualTo(OneTimeKeySlot.State.CONSUMED);
  }

  @Test
  void plainProfile_isNeverWrittenToDisk() throws Exception {
    assertThat(f.load(eid, f.bind(eid, 0)).installed()).isTrue();
    byte[] plain = LoadFixture.profileBytes("TS48V1-A-UNIQUE.der");
    String probe = HexFormat.of().formatHex(plain, 200, 264);
    try (var files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        assertThat(HexFormat.of().formatHex(Files.readAllBytes(p))).doesNotContain(probe);
      }
    }
  }

  // ---- step 1: IFPP enabled ---------------------------------------------------------------

  @Test
  void step1_finalisedChip_refusesWithIfppDisabled() {
    byte[] bpp = f.bind(eid, 0);
    f.finalise(eid);
    assertRejected(f.load(eid, bpp), "ifppDisabled", ErrorReason.IFPP_DISABLED);
  }

  @Test
  void keysRunOutWithoutACommand_theChipAnswersKeysExhausted_thenFieldServicesMayBeUnlocked() {
    byte[] first = f.bind(eid, 0);
    assertThat(f.load(eid, first).installed()).isTrue();
    for (int i = 1; i < 4; i++) {
      f.load(
          eid, f.bind(eid, 0)); // the same profile: refused at step 8, the key spent all the same
    }
    assertThat(f.remaining(eid)).isZero();
    // no unused key left: any package is refused oneTimeKeysExhausted, IFPP still on
    LoadOutcome exhausted = f.load(eid, first);
    assertThat(exhausted.errorReason()).contains("oneTimeKeysExhausted");
    assertThat(((InstallationOutcome.ErrorResult) verifiedOutcome(eid, exhausted)).errorReason())
        .isEqualTo(ErrorReason.KEYS_EXHAUSTED);
    assertThat(f.status(eid).ifppEnabled()).isTrue();
    // with nothing left to load, field services unlock without the device maker's command, and
    // that ends IFPP loading
    var status =
        new org.ifpp.euicc.lifecycle.ChipLifecycleService(f.chips).enableFieldServices(eid);
    assertThat(status.fieldServicesEnabled()).isTrue();
    assertThat(status.ifppEnabled()).isFalse();
    assertThat(f.load(eid, first).errorReason()).contains("ifppDisabled");
  }

  // ---- step 2: the Key Maker's binding certificate ----------------------------------------

  @Test
  void step2_certificateFromUntrustedCi_isRejected_keyKept() {
    DevelopmentCredential otherCi = f.pki.createCi(Curve.P256, "Rogue CI");
    DevelopmentCredential rogue =
        f.pki.issueBindingCertificate(otherCi, Curve.P256, "Rogue", "rogue binding");
    byte[] bpp =
        org.ifpp.crypto.bpp.BoundProfilePackageBuilder.bind(
                LoadFixture.signer(rogue), LoadFixture.HOST_ID, eid, f.unusedKey(eid, 0))
            .sessionKeyMode(LoadFixture.profile())
            .build()
            .encode();
    LoadOutcome o = f.service.load(eid, bpp, rogue.certificateDer());
    assertRejected(o, "invalidCertificate", ErrorReason.INVALID_CERTIFICATE);
    assertThat(o.remainingOneTimeKeys()).isEqualTo(4);
  }

  @Test
  void step2_expiredCertificate_isRejected() {
    Clock longAgo = Clock.fixed(Instant.now().minus(Duration.ofDays(11 * 365)), ZoneOffset.UTC);
    DevelopmentPki oldPki = new DevelopmentPki(longAgo, new SecureRandom());
    DevelopmentCredential oldCi = oldPki.createCi(Curve.P256, "Old CI");
    DevelopmentCredential expired =
        oldPki.issueBindingCertificate(oldCi, Curve.P256, "KM", "expired binding");
    assertThat(expired.certificate().getNotAfter()).isBefore(java.util.Date.from(Instant.now()));
    f.trusted = List.of(f.ci.certificate(), oldCi.certificate());
    f.restart();
    byte[] bpp =
        org.ifpp.crypto.bpp.BoundProfilePackageBuilder.bind(
                LoadFixture.signer(expired), LoadFixture.HOST_ID, eid, f.unusedKey(eid, 0))
            .sessionKeyMode(LoadFixture.profile())
            .build()
            .encode();
    LoadOutcome o = f.service.load(eid, bpp, expired.certificateDer());
    assertRejected(o, "invalidCertificate", ErrorReason.INVALID_CERTIFICATE);
    assertThat(o.remainingOneTimeKeys()).isEqualTo(4);
  }

  @Test
  void step2_certificateWithoutTheBindingRole_isRejected() {
    // An EUM certificate from the trusted CI, with its key signing the package: wrong role.
    DevelopmentCredential eumCert = f.pki.issueEum(f.ci, Curve.P256, "Some EUM", "89049032");
    byte[] bpp =
        org.ifpp.crypto.bpp.BoundProfilePackageBuilder.bind(
                LoadFixture.signer(eumCert), LoadFixture.HOST_ID, eid, f.unusedKey(eid, 0))
            .sessionKeyMode(LoadFixture.profile())
            .build()
            .encode();
    LoadOutcome o = f.service.load(eid, bpp, eumCert.certificateDer());
    assertRejected(o, "invalidCertificate", ErrorReason.INVALID_CERTIFICATE);
  }

  @Test
  void step2_garbageCertificate_isRejected() {
    LoadOutcome o = f.service.load(eid, f.bind(eid, 0), new byte[] {0x30, 0x03, 1, 2, 3});
    assertRejected(o, "invalidCertificate", ErrorReason.INVALID_CERTIFICATE);
    assertThat(o.transactionId()).isPresent();
  }

  // ---- steps 3 and 4: remoteOpId and CRT --------------------------------------------------

  @Test
  void step3_otherRemoteOperation_isRejected_keyKept() throws Exception {
    EcPublicKey target = f.unusedKey(eid, 0);
    byte[] bpp = BppSurgery.forgeBf23(f.bind(eid, 0), 2, 0x88, 0x10, f.keyMakerSigner, target);
    LoadOutcome o = f.load(eid, bpp);
    assertRejected(
        o, "unsupportedRemoteOperationType", ErrorReason.UNSUPPORTED_REMOTE_OPERATION_TYPE);
    assertThat(o.remainingOneTimeKeys()).isEqualTo(4);
  }

  @Test
  void step4_otherCrtValues_areRejected_keyKept() throws Exception {
    EcPublicKey target = f.unusedKey(eid, 0);
    byte[] bpp = BppSurgery.forgeBf23(f.bind(eid, 0), 1, 0x88, 0x20, f.keyMakerSigner, target);
    LoadOutcome o = f.load(eid, bpp);
    assertRejected(o, "unsupportedCrtValues", ErrorReason.UNSUPPORTED_CRT_VALUES);
    assertThat(o.remainingOneTimeKeys()).isEqualTo(4);
  }

  // ---- step 5: smdpSign over an unused key of this chip ----------------------------------

  @Test
  void step5_tamperedSmdpSign_isRejected_keyKept() {
    byte[] bpp = f.bind(eid, 0);
    byte[] tampered = BppSurgery.rebuild(tamperBf23Signature(bpp));
    LoadOutcome o = f.load(eid, tampered);
    assertRejected(o, "invalidSignature", ErrorReason.INVALID_SIGNATURE);
    assertThat(o.remainingOneTimeKeys()).isEqualTo(4);
  }

  private static List<org.ifpp.crypto.tlv.Tlv> tamperBf23Signature(byte[] bpp) {
    List<org.ifpp.crypto.tlv.Tlv> parts = new ArrayList<>(BppSurgery.parts(bpp));
    List<org.ifpp.crypto.tlv.Tlv> bf23 = new ArrayList<>(parts.get(0).children());
    byte[] sig = bf23.get(4).value();
    sig[10] ^= 1;
    bf23.set(4, org.ifpp.crypto.tlv.Tlv.of(0x5F37, sig));
    parts.set(0, org.ifpp.crypto.tlv.Tlv.constructed(0xBF23, bf23));
    return parts;
  }

  @Test
  void clone_packageForAnotherChip_isRejected() {
    Eid other = f.newChip();
    byte[] forFirst = f.bind(eid, 0);
    LoadOutcome o = f.load(other, forFirst);
    assertRejected(o, "invalidSignature", ErrorReason.INVALID_SIGNATURE);
    assertThat(o.remainingOneTimeKeys()).isEqualTo(4);
    assertThat(f.load(eid, forFirst).installed()).isTrue();
  }

  @Test
  void replay_afterSuccess_isRejected() {
    byte[] bpp = f.bind(eid, 0);
    assertThat(f.load(eid, bpp).installed()).isTrue();
    LoadOutcome replay = f.load(eid, bpp);
    assertThat(replay.installed()).isFalse();
    assertThat(replay.errorReason()).contains("invalidSignature");
    assertThat(replay.remainingOneTimeKeys()).isEqualTo(3);
    assertThat(f.status(eid).profiles()).hasSize(1);
  }

  @Test
  void replay_afterFailedInstall_isRejected() {
    byte[] tampered = BppSurgery.flip(f.bind(eid, 0), 0xA3, 0, 20);
    assertThat(f.load(eid, tampered).errorReason()).contains("scp03tSecurityError");
    LoadOutcome replay = f.load(eid, tampered);
    assertRejected(replay, "invalidSignature", ErrorReason.INVALID_SIGNATURE);
    assertThat(replay.remainingOneTimeKeys()).isEqualTo(3);
  }

  // ---- steps 6 and 7: consumption, MAC before decryption ----------------------------------

  @Test
  void step7_tamperedProfileSegment_isRejected_andTheKeyIsConsumed() {
    byte[] tampered = BppSurgery.flip(f.bind(eid, 1), 0xA3, 3, 100);
    LoadOutcome o = f.load(eid, tampered);
    assertRejected(o, "scp03tSecurityError", ErrorReason.SCP03T_SECURITY_ERROR);
    assertThat(o.remainingOneTimeKeys()).isEqualTo(3);
    assertThat(f.keyStates(eid).get(1)).isEqualTo(OneTimeKeySlot.State.CONSUMED);
  }

  @Test
  void step7_tamperedConfigureIsdp_isRejected() {
    byte[] tampered = BppSurgery.flip(f.bind(eid, 0), 0xA0, 0, 0);
    assertRejected(f.load(eid, tampered), "scp03tSecurityError", ErrorReason.SCP03T_SECURITY_ERROR);
  }

  @Test
  void step7_tamperedMetadataMac_isRejected() {
    byte[] bpp = f.bind(eid, 0);
    int macAt = BppSurgery.parts(bpp).get(2).children().get(0).valueLength() - 1;
    byte[] tampered = BppSurgery.flip(bpp, 0xA1, 0, macAt);
    assertRejected(f.load(eid, tampered), "scp03tSecurityError", ErrorReason.SCP03T_SECURITY_ERROR);
    assertThat(f.remaining(eid)).isEqualTo(3);
  }

  @Test
  void step7_reorderedSegments_areRejected() {
    byte[] reordered = BppSurgery.swap(f.bind(eid, 0), 0xA3, 1, 2);
    assertRejected(
        f.load(eid, reordered), "scp03tSecurityError", ErrorReason.SCP03T_SECURITY_ERROR);
  }

  @Test
  void step7_malformedSegment_isAStructureError() {
    byte[] bpp = BppSurgery.mutateElement(f.bind(eid, 0), 0xA3, 0, v -> new byte[] {1, 2, 3});
    LoadOutcome o = f.load(eid, bpp);
    assertRejected(o, "scp03tStructureError", ErrorReason.SCP03T_STRUCTURE_ERROR);
    assertThat(o.remainingOneTimeKeys()).isEqualTo(3);
  }

  // ---- step 8: content checks --------------------------------------------------------------

  @Test
  void step8_metadataIccidDifferentFromProfile_isRejected() {
    try (UnprotectedProfilePackage upp = LoadFixture.profile()) {
      byte[] bpp =
          f.builder(eid, f.unusedKey(eid, 0))
              .sessionKeyMode(upp)
              .metadata(StoreMetadataRequest.minimal(Iccid.of("8949449999999990099"), "", "x"))
              .build()
              .encode();
      LoadOutcome o = f.load(eid, bpp);
      assertRejected(
          o, "installFailedDueToDataMismatch", ErrorReason.INSTALL_FAILED_DUE_TO_DATA_MISMATCH);
      assertThat(o.remainingOneTimeKeys()).isEqualTo(3);
    }
  }

  @Test
  void step8_iccidAlreadyInstalled_isRejected() {
    assertThat(f.load(eid, f.bind(eid, 0)).installed()).isTrue();
    LoadOutcome second = f.load(eid, f.bind(eid, 0));
    assertThat(second.installed()).isFalse();
    assertThat(second.errorReason()).contains("installFailedDueToIccidAlreadyExistsOnEuicc");
    assertThat(f.status(eid).profiles()).hasSize(1);
    assertThat(second.remainingOneTimeKeys()).isEqualTo(2);
  }

  @Test
  void step8_notEnoughMemory_isRejected() {
    f.profileMemory = 4096;
    f.restart();
    LoadOutcome o = f.load(eid, f.bind(eid, 0));
    assertRejected(
        o,
        "installFailedDueToInsufficientMemoryForProfile",
        ErrorReason.INSTALL_FAILED_DUE_TO_INSUFFICIENT_MEMORY_FOR_PROFILE);
  }

  // ---- input that is not a package ---------------------------------------------------------

  @Test
  void garbage_isMalformed_andConsumesNothing() {
    assertThatThrownBy(() -> f.load(eid, new byte[] {1, 2, 3, 4}))
        .isInstanceOf(MalformedPackageException.class);
    byte[] bpp = f.bind(eid, 0);
    assertThatThrownBy(() -> f.load(eid, java.util.Arrays.copyOf(bpp, 100)))
        .isInstanceOf(MalformedPackageException.class);
    assertThat(f.remaining(eid)).isEqualTo(4);
  }

  @Test
  void truncatedPackage_withReadableBf23_consumesTheKeyAndFails() {
    byte[] bpp = f.bind(eid, 0);
    byte[] cut = BppSurgery.rebuild(BppSurgery.parts(bpp).subList(0, 3));
    LoadOutcome o = f.load(eid, cut);
    assertThat(o.installed()).isFalse();
    assertThat(f.status(eid).profiles()).isEmpty();
  }

  // ---- restart, concurrency, segmentation ------------------------------------------------

  @Test
  void restartBetweenLoads_keepsConsumedKeysConsumed() {
    byte[] first = f.bind(eid, 0);
    byte[] second = f.bind(eid, 1);
    assertThat(f.load(eid, first).installed()).isTrue();
    f.restart();
    assertThat(f.remaining(eid)).isEqualTo(3);
    assertThat(f.status(eid).profiles()).hasSize(1);
    assertThat(f.load(eid, first).errorReason()).contains("invalidSignature");
    LoadOutcome o = f.load(eid, second);
    assertThat(o.installed()).isFalse(); // same ICCID already installed
    assertThat(o.errorReason()).contains("installFailedDueToIccidAlreadyExistsOnEuicc");
    f.restart();
    assertThat(f.remaining(eid)).isEqualTo(2);
  }

  @Test
  void concurrentDoubleLoad_installsExactlyOnce() throws Exception {
    byte[] bpp = f.bind(eid, 0);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<LoadOutcome>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return f.load(eid, bpp);
                }));
      }
      start.countDown();
      int installed = 0;
      for (Future<LoadOutcome> fu : futures) {
        LoadOutcome o = fu.get();
        if (o.installed()) {
          installed++;
        } else {
          assertThat(o.errorReason()).contains("invalidSignature");
        }
      }
      assertThat(installed).isEqualTo(1);
      assertThat(f.remaining(eid)).isEqualTo(3);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void lpacSegmentedLoad_installs() {
    byte[] bpp = f.bind(eid, 3);
    LoadSessionRegistry sessions =
        new LoadSessionRegistry(f.service, 1 << 20, Duration.ofMinutes(1), 10, Clock.systemUTC());
    java.util.UUID id = sessions.start(eid, f.keyMaker.certificateDer());
    LoadSessionRegistry.SegmentResult last = null;
    for (byte[] s : Es10bSegmenter.split(bpp)) {
      last = sessions.accept(eid, id, s);
    }
    assertThat(last).isInstanceOf(LoadSessionRegistry.SegmentResult.Completed.class);
    assertThat(((LoadSessionRegistry.SegmentResult.Completed) last).outcome().installed()).isTrue();
  }

  // ---- interop with the SGP.26 test identities ---------------------------------------------

  @Test
  void sgp26Package_installsOnTheSgp26Euicc() throws Exception {
    Path certs = LoadFixture.TEST_DATA.resolve("sgp26-certs");
    f.trusted = List.of(CertificateFiles.read(certs.resolve("CERT_CI_ECDSA_NIST.der")));
    f.restart();
    Eid sgp26 =
        f.manufacturing.importChip(
            CertificateFiles.read(certs.resolve("euicc.der")),
            List.of(CertificateFiles.read(certs.resolve("eum.der"))),
            org.ifpp.euicc.manufacturing.internal.Pem.readPrivateKey(
                Files.readString(certs.resolve("euicc-key.pem"))),
            4);
    assertThat(sgp26.value()).isEqualTo("89049032123451234512345678901235");
    var dpSigner =
        org.ifpp.crypto.signing.SoftwareSigner.fromPem(
            Files.readString(certs.resolve("SK_S_SM_DPpb_ECDSA_NIST.pem")), new SecureRandom());
    byte[] bpp;
    try (UnprotectedProfilePackage upp =
        LoadFixture.profile("TS48V5-SAIP2-1A-NOBERTLV-UNIQUE.der")) {
      bpp =
          org.ifpp.crypto.bpp.BoundProfilePackageBuilder.bind(
                  dpSigner, LoadFixture.HOST_ID, sgp26, f.unusedKey(sgp26, 0))
              .sessionKeyMode(upp)
              .build()
              .encode();
    }
    LoadOutcome o =
        f.service.load(
            sgp26, bpp, Files.readAllBytes(certs.resolve("CERT_S_SM_DPpb_ECDSA_NIST.der")));
    assertThat(o.errorReason()).isEmpty();
    assertThat(o.installed()).isTrue();
    EcPublicKey sgp26Key =
        EcPublicKey.fromJca(CertificateFiles.read(certs.resolve("euicc.der")).getPublicKey());
    assertThat(PirVerifier.verify(o.profileInstallationResult(), sgp26Key).isVerified()).isTrue();
  }

  byte[] cert() {
    return f.keyMaker.certificateDer();
  }

  int notifications(Eid e) {
    Chip chip = f.chips.get(e);
    return chip.locked(() -> chip.notifications().size());
  }

  @Test
  void packageWithBppEuiccOtpk_opensWithThatKey_only() {
    EcPublicKey key = f.unusedKey(eid, 3);
    byte[] bpp = f.bind(eid, 3);
    LoadOutcome o = f.service.load(eid, bpp, cert(), org.ifpp.crypto.bpp.BppEuiccOtpk.of(key));
    assertThat(o.installed()).isTrue();
    assertThat(f.keyStates(eid))
        .containsExactly(
            OneTimeKeySlot.State.UNUSED,
            OneTimeKeySlot.State.UNUSED,
            OneTimeKeySlot.State.UNUSED,
            OneTimeKeySlot.State.CONSUMED);
  }

  @Test
  void packageWithoutBppEuiccOtpk_isOpenedByTryingEachUnusedKey_asBefore() {
    assertThat(f.service.load(eid, f.bind(eid, 3), cert()).installed()).isTrue();
    assertThat(f.keyStates(eid).get(3)).isEqualTo(OneTimeKeySlot.State.CONSUMED);
  }

  @Test
  void bppEuiccOtpkOfASpentKey_isOneTimeKeySpent_beforeAnyCheck_nothingChanges() {
    EcPublicKey key = f.unusedKey(eid, 0);
    byte[] bpp = f.bind(eid, 0);
    var named = org.ifpp.crypto.bpp.BppEuiccOtpk.of(key);
    assertThat(f.service.load(eid, bpp, cert(), named).installed()).isTrue();
    int kept = notifications(eid);
    assertThatThrownBy(() -> f.service.load(eid, bpp, cert(), named))
        .isInstanceOf(OneTimeKeyUnavailableException.class)
        .extracting(e -> ((OneTimeKeyUnavailableException) e).code())
        .isEqualTo("one-time-key-spent");
    assertThatThrownBy(() -> f.service.requireUnusedOneTimeKey(eid, named))
        .isInstanceOf(OneTimeKeyUnavailableException.class);
    assertThat(notifications(eid)).isEqualTo(kept);
    assertThat(f.remaining(eid)).isEqualTo(3);
    // wiped at finalisation counts as spent too
    var unused = org.ifpp.crypto.bpp.BppEuiccOtpk.of(f.unusedKey(eid, 0));
    f.finalise(eid);
    assertThatThrownBy(() -> f.service.requireUnusedOneTimeKey(eid, unused))
        .extracting(e -> ((OneTimeKeyUnavailableException) e).code())
        .isEqualTo("one-time-key-spent");
  }

  @Test
  void bppEuiccOtpkOfAnotherChipsKey_isOneTimeKeyUnknown_nothingChanges() {
    Eid other = f.newChip();
    var named = org.ifpp.crypto.bpp.BppEuiccOtpk.of(f.unusedKey(other, 0));
    byte[] bpp = f.bind(other, 0);
    assertThatThrownBy(() -> f.service.load(eid, bpp, cert(), named))
        .extracting(e -> ((OneTimeKeyUnavailableException) e).code())
        .isEqualTo("one-time-key-unknown");
    assertThat(f.remaining(eid)).isEqualTo(4);
    assertThat(f.remaining(other)).isEqualTo(4);
    assertThat(notifications(eid)).isZero();
  }
}
