package org.ifpp.euicc.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.euicc.chip.Chip;
import org.ifpp.euicc.chip.ChipIdentity;
import org.ifpp.euicc.finalisation.DeviceMaker;
import org.ifpp.euicc.manufacturing.internal.EcKeys;
import org.junit.jupiter.api.Test;

class ChipCodecFinalisationTest {

  static final Eid EID = Eid.of("89049032123451234512345678901235");
  final DeviceMaker deviceMaker = new DeviceMaker();

  Chip chip(boolean withKey) {
    return Chip.manufactured(
        EID,
        new ChipIdentity(new byte[] {1}, List.of(), Curve.P256, SecretBytes.copyOf(new byte[] {9})),
        List.of(EcKeys.oneTimeKey(0, Curve.P256, new SecureRandom())),
        withKey ? deviceMaker.publicKey() : null);
  }

  static byte[] encode(Chip chip) {
    WipeableBuffer out = new WipeableBuffer(1024);
    chip.locked(
        () -> {
          ChipCodec.encode(chip, out);
          return null;
        });
    return Arrays.copyOf(out.array(), out.size());
  }

  @Test
  void deviceMakerKeyAndCounter_surviveARoundTrip() {
    Chip chip = chip(true);
    chip.locked(() -> chip.finalise(deviceMaker.command(EID, 12)));
    Chip back = ChipCodec.decode(encode(chip));
    assertThat(back.deviceMakerKey()).contains(deviceMaker.publicKey());
    back.locked(
        () -> {
          assertThat(back.finalisationCounter()).isEqualTo(12);
          assertThat(back.ifppEnabled()).isFalse();
          return null;
        });
  }

  @Test
  void fileWrittenBeforeFinalisationByCommand_readsAsNoKeyAndCounterZero() {
    byte[] now = encode(chip(false));
    // the older format: the same without the trailer (4-byte empty key, 8-byte counter)
    byte[] old = Arrays.copyOf(now, now.length - 8 - 12 + 8);
    CRC32 crc = new CRC32();
    crc.update(old, 0, old.length - 8);
    long v = crc.getValue();
    for (int i = 0; i < 8; i++) {
      old[old.length - 1 - i] = (byte) (v >>> (8 * i));
    }
    Chip back = ChipCodec.decode(old);
    assertThat(back.deviceMakerKey()).isEmpty();
    back.locked(
        () -> {
          assertThat(back.finalisationCounter()).isZero();
          assertThat(back.ifppEnabled()).isTrue();
          return null;
        });
  }
}
