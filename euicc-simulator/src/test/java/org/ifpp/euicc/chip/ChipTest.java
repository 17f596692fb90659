package org.ifpp.euicc.chip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import java.util.stream.IntStream;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.finalisation.FinalisationReceipt;
import org.ifpp.crypto.finalisation.SignedFinalisationCommand;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.euicc.finalisation.DeviceMaker;
import org.ifpp.euicc.manufacturing.internal.EcKeys;
import org.junit.jupiter.api.Test;

class ChipTest {

  final SecureRandom random = new SecureRandom();

  Chip chip(int keys) {
    return Chip.manufactured(
        EID,
        new ChipIdentity(new byte[1], List.of(), Curve.P256, SecretBytes.copyOf(new byte[1])),
        IntStream.range(0, keys).mapToObj(i -> EcKeys.oneTimeKey(i, Curve.P256, random)).toList(),
        deviceMaker.publicKey());
  }

  final DeviceMaker deviceMaker = new DeviceMaker();
  static final Eid EID = Eid.of("89049032123451234512345678901235");

  @Test
  void newChip_isInProductionWithFieldServicesLocked() {
    Chip c = chip(4);
    c.locked(
        () -> {
          assertThat(c.ifppEnabled()).isTrue();
          assertThat(c.fieldServicesEnabled()).isFalse();
          assertThat(c.unusedKeyCount()).isEqualTo(4);
          return null;
        });
  }

  @Test
  void fieldServices_stayLockedWhileOneTimeKeysRemain() {
    Chip c = chip(2);
    c.locked(
        () -> {
          assertThatThrownBy(c::enableFieldServices)
              .isInstanceOf(ChipStateException.class)
              .extracting("code")
              .isEqualTo("one-time-keys-remain");
          assertThat(c.fieldServicesEnabled()).isFalse();
          return null;
        });
  }

  @Test
  void finaliseProduction_wipesKeysLocksIfppAndUnlocksField() {
    Chip c = chip(3);
    c.locked(
        () -> {
          OneTimeKeySlot first = c.unusedKeys().get(0);
          var pair = first.keyPair();
          var second = c.unusedKeys().get(1).keyPair();
          c.consume(first.publicKey());
          // the consumer (the opener) wipes the consumed pair after its ECDH
          assertThat(pair.isDestroyed()).isFalse();
          FinalisationReceipt receipt = c.finalise(deviceMaker.command(EID, 5));
          assertThat(receipt).isEqualTo(new FinalisationReceipt(EID, 5, 2, true));
          assertThat(c.finalisationCounter()).isEqualTo(5);
          assertThat(second.isDestroyed()).isTrue();
          assertThat(c.unusedKeyCount()).isZero();
          assertThat(c.ifppEnabled()).isFalse();
          assertThat(c.fieldServicesEnabled()).isTrue();
          assertThat(c.oneTimeKeys())
              .extracting(OneTimeKeySlot::state)
              .containsExactly(
                  OneTimeKeySlot.State.CONSUMED,
                  OneTimeKeySlot.State.WIPED,
                  OneTimeKeySlot.State.WIPED);
          assertThat(c.finalise(deviceMaker.command(EID, 6)).oneTimeKeysDeleted()).isZero();
          return null;
        });
  }

  @Test
  void everyRefusedCommand_changesNothing() {
    Chip c = chip(2);
    DeviceMaker stranger = new DeviceMaker();
    Eid other = Eid.withCheckDigits("890490321234512345123456789013");
    c.locked(
        () -> {
          c.finalise(deviceMaker.command(EID, 10));
          return null;
        });
    Chip fresh = chip(2);
    record Case(SignedFinalisationCommand command, String code) {}
    List<Case> cases =
        List.of(
            new Case(stranger.command(EID, 1), "finalisation-signature-invalid"),
            new Case(deviceMaker.command(other, 1), "finalisation-wrong-chip"));
    fresh.locked(
        () -> {
          for (Case k : cases) {
            assertThatThrownBy(() -> fresh.finalise(k.command()))
                .isInstanceOf(ChipStateException.class)
                .extracting("code")
                .isEqualTo(k.code());
            assertThat(fresh.unusedKeyCount()).isEqualTo(2);
            assertThat(fresh.ifppEnabled()).isTrue();
            assertThat(fresh.finalisationCounter()).isZero();
          }
          return null;
        });
    c.locked(
        () -> {
          for (long counter : new long[] {10, 9}) {
            assertThatThrownBy(() -> c.finalise(deviceMaker.command(EID, counter)))
                .extracting("code")
                .isEqualTo("finalisation-replayed");
            assertThat(c.finalisationCounter()).isEqualTo(10);
          }
          return null;
        });
  }

  @Test
  void chipWithoutDeviceMakerKey_refusesEveryCommand() {
    Chip c =
        Chip.manufactured(
            EID,
            new ChipIdentity(new byte[1], List.of(), Curve.P256, SecretBytes.copyOf(new byte[1])),
            List.of(EcKeys.oneTimeKey(0, Curve.P256, random)),
            null);
    c.locked(
        () -> {
          assertThatThrownBy(() -> c.finalise(deviceMaker.command(EID, 1)))
              .extracting("code")
              .isEqualTo("no-device-maker-key");
          assertThat(c.ifppEnabled()).isTrue();
          assertThat(c.unusedKeyCount()).isEqualTo(1);
          return null;
        });
  }

  @Test
  void stateIsReadOnlyUnderTheLock() {
    Chip c = chip(1);
    assertThatThrownBy(c::ifppEnabled).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void consumingTwice_succeedsOnce() {
    Chip c = chip(1);
    c.locked(
        () -> {
          var pk = c.unusedKeys().get(0).publicKey();
          assertThat(c.consume(pk)).isTrue();
          assertThat(c.consume(pk)).isFalse();
          return null;
        });
  }
}
