package org.ifpp.euicc.loading;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.ifpp.crypto.bpp.BoundProfilePackageBuilder;
import org.ifpp.crypto.bpp.ProfileProtectionKeys;
import org.ifpp.crypto.bpp.ProtectedProfilePackage;
import org.ifpp.crypto.bpp.UnprotectedProfilePackage;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.HostId;
import org.ifpp.crypto.pki.BindingCertificateValidator;
import org.ifpp.crypto.pki.DevelopmentCredential;
import org.ifpp.crypto.pki.DevelopmentPki;
import org.ifpp.crypto.pki.TrustAnchors;
import org.ifpp.crypto.signing.Signer;
import org.ifpp.crypto.signing.SoftwareSigner;
import org.ifpp.euicc.chip.Chip;
import org.ifpp.euicc.chip.ChipSigners;
import org.ifpp.euicc.chip.ChipStatus;
import org.ifpp.euicc.chip.OneTimeKeySlot;
import org.ifpp.euicc.config.SimulatorProperties;
import org.ifpp.euicc.finalisation.DeviceMaker;
import org.ifpp.euicc.manufacturing.EidAllocator;
import org.ifpp.euicc.manufacturing.EumAuthority;
import org.ifpp.euicc.manufacturing.EumBootstrap;
import org.ifpp.euicc.manufacturing.ManufacturingService;
import org.ifpp.euicc.manufacturing.internal.Pem;
import org.ifpp.euicc.store.ChipRepository;
import org.ifpp.euicc.store.ChipStore;

/**
 * A simulator (store, EUM, load service) in a temporary directory, plus a development Key Maker
 * (CI, binding certificate and key) that binds real TS.48 profiles with common-crypto's builder.
 */
public final class LoadFixture {

  public static final Path TEST_DATA = Path.of(System.getProperty("ifpp.test-data.dir"));
  public static final HostId HOST_ID = HostId.ofText("ifpp-keymaker");

  public final SecureRandom random = new SecureRandom();
  public final Path dir;
  public final DevelopmentPki pki = new DevelopmentPki(Clock.systemUTC(), random);
  public final DevelopmentCredential ci = pki.createCi(Curve.P256, "Test CI");
  public final DevelopmentCredential keyMaker =
      pki.issueBindingCertificate(ci, Curve.P256, "Test Key Maker", "KM binding");
  public final Signer keyMakerSigner = signer(keyMaker);
  public final EumAuthority eum;
  public long profileMemory = 1 << 20;
  public boolean fsync = true;
  public final DeviceMaker deviceMaker = new DeviceMaker();
  public List<X509Certificate> trusted;
  public ChipRepository chips;
  public ManufacturingService manufacturing;
  public LoadService service;

  public LoadFixture(Path dir) {
    this.dir = dir;
    this.eum =
        EumBootstrap.loadOrCreate(
            dir.resolve("eum"),
            new SimulatorProperties.Eum(null, null, null, "89049032999"),
            false,
            random);
    this.trusted = List.of(ci.certificate());
    restart();
  }

  /** A fresh repository and service over the same directory: what a process restart does. */
  public void restart() {
    chips = new ChipRepository(new ChipStore(dir, fsync));
    manufacturing =
        new ManufacturingService(
            chips,
            eum,
            new EidAllocator(eum.eidPrefix(), dir.resolve("eum/next-serial"), false),
            random,
            deviceMaker.publicKey());
    service =
        new LoadService(
            chips,
            BindingCertificateValidator.withoutClock(TrustAnchors.of(trusted)),
            new ChipSigners(random),
            "keymaker.test",
            profileMemory,
            Clock.systemUTC());
  }

  public static Signer signer(DevelopmentCredential credential) {
    return SoftwareSigner.fromPem(Pem.write(credential.privateKey()), new SecureRandom());
  }

  public Eid newChip() {
    return manufacturing.manufacture(1, 4).get(0);
  }

  /** Ends production on the chip with a signed command, as the device maker does. */
  public void finalise(Eid eid) {
    Chip chip = chips.get(eid);
    chip.locked(
        () -> {
          chip.finalise(deviceMaker.command(eid, chip.finalisationCounter() + 1));
          chips.save(chip);
          return null;
        });
  }

  public EcPublicKey unusedKey(Eid eid, int i) {
    Chip chip = chips.get(eid);
    return chip.locked(() -> chip.unusedKeys().get(i).publicKey());
  }

  public ChipStatus status(Eid eid) {
    Chip chip = chips.get(eid);
    return chip.locked(() -> ChipStatus.of(chip));
  }

  public int remaining(Eid eid) {
    return status(eid).oneTimeKeysUnused();
  }

  public List<OneTimeKeySlot.State> keyStates(Eid eid) {
    Chip chip = chips.get(eid);
    return chip.locked(() -> chip.oneTimeKeys().stream().map(OneTimeKeySlot::state).toList());
  }

  public static byte[] profileBytes(String name) {
    try {
      return Files.readAllBytes(TEST_DATA.resolve("profiles").resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static UnprotectedProfilePackage profile(String name) {
    try {
      return UnprotectedProfilePackage.parse(profileBytes(name));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static UnprotectedProfilePackage profile() {
    return profile("TS48V1-A-UNIQUE.der");
  }

  public BoundProfilePackageBuilder builder(Eid eid, EcPublicKey otPk) {
    return BoundProfilePackageBuilder.bind(keyMakerSigner, HOST_ID, eid, otPk).random(random);
  }

  /** A session-key-mode package of the TS.48 profile for this chip's i-th unused key. */
  public byte[] bind(Eid eid, int key) {
    try (UnprotectedProfilePackage upp = profile()) {
      return builder(eid, unusedKey(eid, key)).sessionKeyMode(upp).build().encode();
    }
  }

  /** The same in PPK mode (the profile protected once with random PPKs, A2 carries them). */
  public byte[] bindPpk(Eid eid, int key) {
    try (UnprotectedProfilePackage upp = profile();
        ProfileProtectionKeys ppks = ProfileProtectionKeys.generate(random)) {
      ProtectedProfilePackage ppp = ProtectedProfilePackage.protect(upp, ppks);
      return builder(eid, unusedKey(eid, key)).ppkMode(ppp, ppks).build().encode();
    }
  }

  public LoadOutcome load(Eid eid, byte[] bpp) {
    return service.load(eid, bpp, keyMaker.certificateDer());
  }
}
