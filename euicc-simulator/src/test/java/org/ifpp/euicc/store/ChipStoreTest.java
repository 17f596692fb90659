package org.ifpp.euicc.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.euicc.chip.Chip;
import org.ifpp.euicc.chip.ChipIdentity;
import org.ifpp.euicc.chip.InstalledProfile;
import org.ifpp.euicc.chip.OneTimeKeySlot;
import org.ifpp.euicc.manufacturing.internal.EcKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChipStoreTest {

  static final Eid EID = Eid.of("89049032123451234512345678901235");
  final SecureRandom random = new SecureRandom();

  @TempDir Path dir;

  Chip newChip() {
    List<OneTimeKeySlot> keys =
        IntStream.range(0, 4).mapToObj(i -> EcKeys.oneTimeKey(i, Curve.P256, random)).toList();
    return Chip.manufactured(
        EID,
        new ChipIdentity(
            new byte[] {1, 2, 3},
            List.of(new byte[] {4, 5}),
            Curve.P256,
            SecretBytes.copyOf(new byte[] {9, 9, 9})),
        keys,
        null);
  }

  @Test
  void consumedKey_staysConsumedAndItsScalarIsInNoFile() throws Exception {
    Chip chip = newChip();
    ChipRepository repo = new ChipRepository(new ChipStore(dir, true));
    repo.addNew(List.of(chip));
    byte[] consumedScalar = unusedScalar(chip, 1);
    EcPublicKey consumed = chip.locked(() -> chip.unusedKeys().get(1).publicKey());
    chip.locked(
        () -> {
          assertThat(chip.consume(consumed)).isTrue();
          chip.install(
              new InstalledProfile(
                  Iccid.of("8949449999999990023"),
                  "TS48",
                  "ab",
                  TransactionId.fromHex("01"),
                  100,
                  Instant.ofEpochMilli(5),
                  chip.nextIsdpAid()));
          repo.save(chip);
          return null;
        });

    Chip reloaded = new ChipRepository(new ChipStore(dir, true)).get(EID);
    reloaded.locked(
        () -> {
          assertThat(reloaded.unusedKeyCount()).isEqualTo(3);
          assertThat(reloaded.unusedKey(consumed)).isEmpty();
          assertThat(reloaded.oneTimeKeys().get(1).state())
              .isEqualTo(OneTimeKeySlot.State.CONSUMED);
          assertThat(reloaded.profiles()).hasSize(1);
          assertThat(reloaded.consume(consumed)).isFalse();
          return null;
        });
    String scalarHex = HexFormat.of().formatHex(consumedScalar);
    try (var files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(HexFormat.of().formatHex(Files.readAllBytes(f))).doesNotContain(scalarHex);
      }
    }
  }

  @Test
  void withoutFsync_theFileIsRewrittenInPlace_paddedAndWithoutTheConsumedScalar() throws Exception {
    Chip chip = newChip();
    ChipStore store = new ChipStore(dir, false);
    ChipRepository repo = new ChipRepository(store);
    repo.addNew(List.of(chip));
    Path file = store.fileOf(EID);
    Object inode = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    long before = Files.size(file);
    byte[] consumedScalar = unusedScalar(chip, 0);
    EcPublicKey consumed = chip.locked(() -> chip.unusedKeys().get(0).publicKey());
    chip.locked(
        () -> {
          assertThat(chip.consume(consumed)).isTrue();
          repo.save(chip); // shorter content: padded to the old length
          return null;
        });

    assertThat(Files.readAttributes(file, BasicFileAttributes.class).fileKey()).isEqualTo(inode);
    assertThat(Files.size(file)).isEqualTo(before);
    assertThat(HexFormat.of().formatHex(Files.readAllBytes(file)))
        .doesNotContain(HexFormat.of().formatHex(consumedScalar));
    Chip reloaded = new ChipRepository(new ChipStore(dir, false)).get(EID);
    reloaded.locked(
        () -> {
          assertThat(reloaded.unusedKeyCount()).isEqualTo(3);
          assertThat(reloaded.consume(consumed)).isFalse();
          return null;
        });

    for (int i = 0; i < 3; i++) { // longer content: the file grows
      chip.locked(
          () -> {
            chip.install(
                new InstalledProfile(
                    Iccid.of("894944999999999002" + chip.profiles().size()),
                    "TS48",
                    "ab",
                    TransactionId.fromHex("01"),
                    100,
                    Instant.ofEpochMilli(5),
                    chip.nextIsdpAid()));
            repo.save(chip);
            return null;
          });
    }
    assertThat(Files.size(file)).isGreaterThan(before);
    Chip again = new ChipRepository(new ChipStore(dir, false)).get(EID);
    again.locked(
        () -> {
          assertThat(again.profiles()).hasSize(3);
          assertThat(again.unusedKeyCount()).isEqualTo(3);
          return null;
        });
    byte[] damaged = Files.readAllBytes(file);
    damaged[damaged.length - 12] ^= 1; // inside the content or its padding
    Files.write(file, damaged);
    assertThatThrownBy(() -> new ChipRepository(new ChipStore(dir, false)))
        .hasMessageContaining(file.getFileName().toString());
  }

  @Test
  void fileWrittenBeforeProfileDetails_readsTheResultsIsdpAidsDisabledAndOperational() {
    Chip chip = newChip();
    InstalledProfile profile =
        chip.locked(
            () -> {
              InstalledProfile p =
                  new InstalledProfile(
                      Iccid.of("8949449999999990023"),
                      "TS48",
                      "ab",
                      TransactionId.fromHex("01"),
                      100,
                      Instant.ofEpochMilli(5),
                      chip.nextIsdpAid());
              chip.install(p.withEnabled(true));
              return p;
            });
    WipeableBuffer buffer = new WipeableBuffer(4096);
    chip.locked(
        () -> {
          ChipCodec.encode(chip, buffer);
          return null;
        });
    byte[] current = java.util.Arrays.copyOf(buffer.array(), buffer.size());
    // The details section: count, AID, state, provider name, class, nickname flag and text; and
    // the finalisation section written after it (device-maker key with its length, counter), which
    // a file from before the details does not have either.
    int details = 4 + (2 + 32) + 1 + 2 + 1 + 1 + 2;
    int finalisation = 4 + chip.locked(() -> chip.deviceMakerKey().map(k -> 65).orElse(0)) + 8;
    byte[] old = java.util.Arrays.copyOf(current, current.length - details - finalisation);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(old, 0, old.length - 8);
    for (int i = 0; i < 8; i++) {
      old[old.length - 8 + i] = (byte) (crc.getValue() >>> (56 - 8 * i));
    }
    Chip read = ChipCodec.decode(old);
    InstalledProfile p = read.locked(() -> read.profiles().get(0));
    assertThat(p.isdpAid()).isEqualTo("A0000005591010FFFFFFFF8900001100");
    assertThat(p.enabled()).isFalse();
    assertThat(p.profileClass()).isEqualTo(InstalledProfile.OPERATIONAL);
    assertThat(p.iccid()).isEqualTo(profile.iccid());
    Chip again = ChipCodec.decode(current);
    assertThat(again.locked(() -> again.profiles().get(0).enabled())).isTrue();
  }

  @Test
  void unusedScalars_surviveRestart() {
    Chip chip = newChip();
    byte[] scalar = unusedScalar(chip, 0);
    new ChipRepository(new ChipStore(dir, false)).addNew(List.of(chip));
    Chip reloaded = new ChipRepository(new ChipStore(dir, false)).get(EID);
    assertThat(unusedScalar(reloaded, 0)).isEqualTo(scalar);
  }

  /** The private scalar of the chip's unused one-time key {@code i}. */
  private static byte[] unusedScalar(Chip chip, int i) {
    return chip.locked(
        () ->
            chip.unusedKeys()
                .get(i)
                .keyPair()
                .exportPrivateScalar(SecretAccess.GRANTED)
                .toByteArray(SecretAccess.GRANTED));
  }

  @Test
  void leftoverTempFile_isDeletedAtStartup() throws Exception {
    ChipStore store = new ChipStore(dir, false);
    new ChipRepository(store).addNew(List.of(newChip()));
    Path temp = store.fileOf(EID).resolveSibling(EID.value() + ".chip.123.tmp");
    Files.write(temp, new byte[] {1, 2});
    assertThat(new ChipRepository(new ChipStore(dir, false)).size()).isEqualTo(1);
    assertThat(temp).doesNotExist();
  }

  @Test
  void damagedChipFile_isDetected() throws Exception {
    ChipStore store = new ChipStore(dir, false);
    new ChipRepository(store).addNew(List.of(newChip()));
    Path file = store.fileOf(EID);
    byte[] bytes = Files.readAllBytes(file);
    bytes[40] ^= 1;
    Files.write(file, bytes);
    assertThatThrownBy(() -> new ChipRepository(new ChipStore(dir, false)))
        .isInstanceOf(CorruptChipFileException.class)
        .hasMessageContaining(EID.value());
  }

  @Test
  void chipsOfTheFlatLayout_areMovedIntoTheirShards_atStartup() throws Exception {
    ChipStore store = new ChipStore(dir, true);
    new ChipRepository(store).addNew(List.of(newChip()));
    Path sharded = store.fileOf(EID);
    Path flat = dir.resolve("chips").resolve(EID.value() + ".chip");
    Files.move(sharded, flat); // as an earlier version stored it

    ChipRepository reopened = new ChipRepository(new ChipStore(dir, true));

    assertThat(reopened.get(EID).unusedKeyCount()).isEqualTo(4);
    assertThat(flat).doesNotExist();
    assertThat(sharded).exists();
    assertThat(sharded.getParent().getParent()).isEqualTo(dir.resolve("chips"));
  }

  @Test
  void aFlatFileNamedNoEid_isLeftWhereItIs_andTheChipsLoad() throws Exception {
    ChipStore store = new ChipStore(dir, true);
    new ChipRepository(store).addNew(List.of(newChip()));
    Path stranger = dir.resolve("chips").resolve("not-an-eid.chip");
    Files.write(stranger, new byte[] {1, 2, 3});

    ChipRepository reopened = new ChipRepository(new ChipStore(dir, true));

    assertThat(reopened.size()).isEqualTo(1);
    assertThat(reopened.get(EID).unusedKeyCount()).isEqualTo(4);
    assertThat(stranger).hasBinaryContent(new byte[] {1, 2, 3});
  }

  @Test
  void staleFlatFile_besideANewerShardedOne_isDropped() throws Exception {
    ChipStore store = new ChipStore(dir, false);
    ChipRepository repo = new ChipRepository(store);
    Chip chip = newChip();
    repo.addNew(List.of(chip));
    Path flat = dir.resolve("chips").resolve(EID.value() + ".chip");
    Files.copy(store.fileOf(EID), flat); // four unused keys
    EcPublicKey first = chip.locked(() -> chip.unusedKeys().get(0).publicKey());
    chip.locked(
        () -> {
          chip.consume(first);
          repo.save(chip);
          return null;
        });

    ChipRepository reopened = new ChipRepository(new ChipStore(dir, false));

    assertThat(reopened.size()).isEqualTo(1);
    assertThat(reopened.get(EID).unusedKeyCount()).isEqualTo(3);
    assertThat(flat).doesNotExist();
  }

  @Test
  void duplicateEid_isRefused() {
    ChipRepository repo = new ChipRepository(new ChipStore(dir, false));
    repo.addNew(List.of(newChip()));
    assertThatThrownBy(() -> repo.addNew(List.of(newChip())))
        .extracting("code")
        .isEqualTo("eid-exists");
  }
}
