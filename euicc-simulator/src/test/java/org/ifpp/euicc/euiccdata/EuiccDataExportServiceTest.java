package org.ifpp.euicc.euiccdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import org.ifpp.crypto.euiccdata.EuiccData;
import org.ifpp.crypto.euiccdata.EuiccDataVerification;
import org.ifpp.crypto.euiccdata.EuiccDataVerifier;
import org.ifpp.crypto.euiccdata.SignedOneTimePublicKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.pki.EuiccChainValidator;
import org.ifpp.crypto.pki.TrustAnchors;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.euicc.chip.Chip;
import org.ifpp.euicc.chip.ChipSigners;
import org.ifpp.euicc.config.SimulatorProperties;
import org.ifpp.euicc.credentials.CertificateFiles;
import org.ifpp.euicc.finalisation.DeviceMaker;
import org.ifpp.euicc.manufacturing.EidAllocator;
import org.ifpp.euicc.manufacturing.EumAuthority;
import org.ifpp.euicc.manufacturing.EumBootstrap;
import org.ifpp.euicc.manufacturing.ManufacturingService;
import org.ifpp.euicc.manufacturing.internal.Pem;
import org.ifpp.euicc.store.ChipRepository;
import org.ifpp.euicc.store.ChipStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EuiccDataExportServiceTest {

  static final Path SGP26 = Path.of(System.getProperty("ifpp.test-data.dir"), "sgp26-certs");

  @TempDir Path dir;
  final SecureRandom random = new SecureRandom();
  final DeviceMaker deviceMaker = new DeviceMaker();
  EumAuthority eum;
  ChipRepository chips;
  ManufacturingService manufacturing;
  EuiccDataExportService export;

  @BeforeEach
  void setUp() {
    eum =
        EumBootstrap.loadOrCreate(
            dir.resolve("eum"),
            new SimulatorProperties.Eum(null, null, null, "89049032999"),
            false,
            random);
    chips = new ChipRepository(new ChipStore(dir, false));
    manufacturing =
        new ManufacturingService(
            chips,
            eum,
            new EidAllocator(eum.eidPrefix(), dir.resolve("serial"), false),
            random,
            deviceMaker.publicKey());
    export = new EuiccDataExportService(chips, new ChipSigners(random));
  }

  @Test
  void manufacturedChips_exportDataTheKeyMakerAccepts() {
    List<Eid> eids = manufacturing.manufacture(3, 4);
    List<EuiccData> data = export.export(eids);
    EuiccDataVerifier verifier =
        new EuiccDataVerifier(
            new EuiccChainValidator(TrustAnchors.of(eum.ciCertificates()), Clock.systemUTC()));
    for (int i = 0; i < 3; i++) {
      EuiccDataVerification v = verifier.verify(eids.get(i), data.get(i).encode());
      assertThat(v).as(v.toString()).isInstanceOf(EuiccDataVerification.Accepted.class);
      assertThat(data.get(i).oneTimeKeys()).hasSize(4);
      assertThat(data.get(i).euiccInfo2())
          .contains(org.ifpp.euicc.chip.ChipCapabilities.exported());
    }
  }

  @Test
  void export_carriesNoPrivateKey() {
    Eid eid = manufacturing.manufacture(1, 4).get(0);
    Chip chip = chips.get(eid);
    String encoded = HexFormat.of().formatHex(export.export(List.of(eid)).get(0).encode());
    chip.locked(
        () -> {
          for (var slot : chip.unusedKeys()) {
            String scalar =
                HexFormat.of()
                    .formatHex(
                        slot.keyPair()
                            .exportPrivateScalar(SecretAccess.GRANTED)
                            .toByteArray(SecretAccess.GRANTED));
            assertThat(encoded).doesNotContain(scalar);
          }
          return null;
        });
  }

  @Test
  void consumedKeys_areNotExported_andIndexesAreTheSlots() {
    Eid eid = manufacturing.manufacture(1, 4).get(0);
    Chip chip = chips.get(eid);
    chip.locked(() -> chip.consume(chip.unusedKeys().get(1).publicKey()));
    EuiccData data = export.export(List.of(eid)).get(0);
    assertThat(data.oneTimeKeys())
        .extracting(SignedOneTimePublicKey::keyIndex)
        .containsExactly(0, 2, 3);
  }

  @Test
  void finalisedChip_hasNothingToExport() {
    Eid eid = manufacturing.manufacture(1, 2).get(0);
    Chip chip = chips.get(eid);
    chip.locked(() -> chip.finalise(deviceMaker.command(eid, 1)));
    assertThatThrownBy(() -> export.export(List.of(eid)))
        .extracting("code")
        .isEqualTo("no-one-time-keys");
  }

  @Test
  void sgp26Chip_exportsDataThatVerifiesUnderTheSgp26Ci() throws Exception {
    Eid eid =
        manufacturing.importChip(
            CertificateFiles.read(SGP26.resolve("euicc.der")),
            List.of(CertificateFiles.read(SGP26.resolve("eum.der"))),
            Pem.readPrivateKey(Files.readString(SGP26.resolve("euicc-key.pem"))),
            4);
    EuiccDataVerifier verifier =
        new EuiccDataVerifier(
            new EuiccChainValidator(
                TrustAnchors.of(List.of(CertificateFiles.read(SGP26.resolve("ci-2017.der")))),
                Clock.systemUTC()));
    EuiccDataVerification v = verifier.verify(eid, export.export(List.of(eid)).get(0).encode());
    assertThat(v).as(v.toString()).isInstanceOf(EuiccDataVerification.Accepted.class);
  }
}
