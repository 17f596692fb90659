package org.ifpp.euicc.card;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.finalisation.SignedFinalisationReceipt;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.tlv.TlvWriter;
import org.ifpp.euicc.card.TestLpa.Response;
import org.ifpp.euicc.finalisation.DeviceMaker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finalisation as an ES10-style command (docs/finalisation.md section 5): the signed BF7A in STORE
 * DATA, answered with the chip's signed receipt BF7B; each refusal a status word, nothing changed.
 */
class CardFinalisationTest {

  @TempDir Path dir;
  CardFixture f;
  Eid eid;

  @BeforeEach
  void setUp() {
    f = new CardFixture(dir);
    eid = f.sim.newChip();
  }

  EcPublicKey euiccKey(Eid e) {
    var chip = f.sim.chips.get(e);
    return EcPublicKey.fromJca(chip.identity().certificate().getPublicKey());
  }

  byte[] command(Eid e, long counter) {
    return f.sim.deviceMaker.command(e, counter).encoded();
  }

  @Test
  void signedCommand_isAnsweredWithTheSignedReceipt_andLocksIfpp() {
    TestLpa lpa = f.lpa(eid);
    Response r = lpa.es10(command(eid, 1));
    assertThat(r.sw()).isEqualTo(0x9000);
    SignedFinalisationReceipt receipt = SignedFinalisationReceipt.parse(r.data());
    assertThat(receipt.verify(euiccKey(eid))).isTrue();
    assertThat(receipt.receipt().eid()).isEqualTo(eid);
    assertThat(receipt.receipt().counter()).isEqualTo(1);
    assertThat(receipt.receipt().oneTimeKeysDeleted()).isEqualTo(4);
    assertThat(receipt.receipt().ifppLocked()).isTrue();
    assertThat(f.sim.status(eid).ifppEnabled()).isFalse();
    assertThat(f.sim.remaining(eid)).isZero();
    // a load after it: refused ifppDisabled, at the first segment
    Response load =
        f.lpa(eid).load(f.certificate(), CardFixture.segments(f.sim.bind(f.sim.newChip(), 0)));
    assertThat(CardLoadTest.pir(load.data()).isSuccess()).isFalse();
  }

  @Test
  void refusals_areStatusWords_andChangeNothing() {
    TestLpa lpa = f.lpa(eid);
    Eid other = f.sim.newChip();
    // another chip's command, a command signed by another device maker, an unsigned one: 6982
    assertThat(lpa.es10(command(other, 1)).sw()).isEqualTo(0x6982);
    assertThat(lpa.es10(new DeviceMaker().command(eid, 1).encoded()).sw()).isEqualTo(0x6982);
    byte[] signed = command(eid, 1);
    byte[] unsigned = TlvWriter.encode(0xBF7A, firstChild(signed));
    assertThat(lpa.es10(unsigned).sw()).isEqualTo(0x6982);
    // malformed: 6A80
    assertThat(lpa.es10("BF7A03800101").sw()).isEqualTo(0x6A80);
    byte[] badSignature = signed.clone();
    badSignature[badSignature.length - 1] ^= 1;
    assertThat(lpa.es10(badSignature).sw()).isEqualTo(0x6982);
    assertThat(f.sim.status(eid).ifppEnabled()).isTrue();
    assertThat(f.sim.remaining(eid)).isEqualTo(4);
    // accepted once, then the same command again is a replay: 6985
    assertThat(lpa.es10(signed).sw()).isEqualTo(0x9000);
    assertThat(lpa.es10(signed).sw()).isEqualTo(0x6985);
    var chip = f.sim.chips.get(eid);
    assertThat(chip.locked(chip::finalisationCounter)).isEqualTo(1);
  }

  /** The BF7C (signed data) of a BF7A, without its signature. */
  private static byte[] firstChild(byte[] bf7a) {
    var tlv = org.ifpp.crypto.tlv.TlvReader.readSingle(bf7a, org.ifpp.crypto.tlv.TlvLimits.DEFAULT);
    byte[] data = tlv.children().get(0).encoded();
    return Arrays.copyOf(data, data.length);
  }
}
