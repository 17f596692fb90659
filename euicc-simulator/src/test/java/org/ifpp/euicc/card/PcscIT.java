package org.ifpp.euicc.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import javax.smartcardio.TerminalFactory;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.finalisation.SignedFinalisationReceipt;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.pir.InstallationOutcome;
import org.ifpp.crypto.pir.ProfileInstallationResult;
import org.ifpp.crypto.tlv.TlvWriter;
import org.ifpp.euicc.readers.ReaderService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chips in a real PC/SC stack: pcscd with vsmartcard's vpcd readers (scripts/pcsc.sh, which
 * .ci/run starts), the simulator's {@link ReaderService} putting chips into reader {@code Virtual
 * PCD 00 00}, and the JDK's {@code javax.smartcardio} on the other side, as a station or an LPA
 * with a reader. Skipped, saying so, only where pcscd is not installed; where it is installed but
 * not running, this test starts its own (as root) and stops it after.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PcscIT {

  private static final int PORT = 35963;
  private static final String READER = "Virtual PCD 00 00";
  private static boolean startedHere;

  @TempDir Path dir;
  private CardFixture f;
  private ReaderService readers;

  @BeforeEach
  void simulatorWithReaders() throws Exception {
    f = new CardFixture(dir);
    readers = new ReaderService(f.services(), "127.0.0.1");
  }

  @AfterEach
  void emptyTheReaders() {
    if (readers != null) {
      readers.removeAll();
    }
  }

  @BeforeAll
  static void pcscd() throws Exception {
    boolean installed = Files.isExecutable(Path.of("/usr/sbin/pcscd"));
    Assumptions.assumeTrue(
        installed || System.getenv("CI") != null,
        "pcscd is not installed here: PcscIT skipped (scripts/pcsc.sh start installs it)");
    if (!readerListed()) {
      Path script = Path.of(System.getProperty("ifpp.test-data.dir")).resolve("../scripts/pcsc.sh");
      Process p = new ProcessBuilder("bash", script.toString(), "start", "2").inheritIO().start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0)
          .as("scripts/pcsc.sh start")
          .isTrue();
      startedHere = true;
    }
    await("PC/SC reader " + READER)
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(PcscIT::readerListed);
  }

  @AfterAll
  static void stop() throws Exception {
    if (startedHere) {
      Path script = Path.of(System.getProperty("ifpp.test-data.dir")).resolve("../scripts/pcsc.sh");
      new ProcessBuilder("bash", script.toString(), "stop").inheritIO().start().waitFor();
    }
  }

  /** A fresh PC/SC context each time: the JDK's default one stays broken if pcscd came later. */
  private static TerminalFactory pcsc() throws Exception {
    return TerminalFactory.getInstance("PC/SC", null);
  }

  private static boolean readerListed() {
    try {
      return pcsc().terminals().list().stream().anyMatch(t -> t.getName().equals(READER));
    } catch (Exception e) {
      return false;
    }
  }

  /** A station's view of the card in the reader: ES10 in STORE DATA blocks. */
  private static final class Station implements AutoCloseable {
    Card card;
    CardChannel channel;

    Station(Eid expected) throws Exception {
      CardTerminal terminal = pcsc().terminals().getTerminal(READER);
      card =
          await("chip " + expected + " in " + READER)
              .atMost(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(100))
              .until(() -> connect(terminal, expected), c -> c != null);
      channel = card.getBasicChannel();
    }

    /** The card in the reader with the ISD-R selected, if it is the expected chip; else null. */
    private static Card connect(CardTerminal terminal, Eid expected) throws CardException {
      if (!terminal.isCardPresent()) {
        return null;
      }
      Card c = null;
      try {
        c = terminal.connect("*");
        CardChannel ch = c.getBasicChannel();
        ResponseAPDU select =
            ch.transmit(
                new CommandAPDU(0x00, 0xA4, 0x04, 0x00, HexFormat.of().parseHex(IsdR.AID), 256));
        if (select.getSW() == 0x9000 && eidOf(ch).equals(expected.value())) {
          return c;
        }
        c.disconnect(false); // the previous chip, still there
      } catch (CardException e) {
        // the previous chip went out under us: look again
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return null;
    }

    /** One ES10 command in STORE DATA blocks; the last block's status word with all the data. */
    static ResponseAPDU transmit(CardChannel ch, byte[] command) throws CardException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int blocks = Math.max(1, (command.length + 254) / 255);
      for (int i = 0; i < blocks; i++) {
        byte[] block =
            Arrays.copyOfRange(command, i * 255, Math.min(command.length, (i + 1) * 255));
        ResponseAPDU r =
            i == blocks - 1
                ? ch.transmit(new CommandAPDU(0x80, 0xE2, 0x91, i, block, 256))
                : ch.transmit(new CommandAPDU(0x80, 0xE2, 0x11, i, block));
        out.writeBytes(r.getData());
        if (r.getSW() != 0x9000 || i == blocks - 1) {
          out.write(r.getSW1());
          out.write(r.getSW2());
          return new ResponseAPDU(out.toByteArray());
        }
      }
      throw new AssertionError("unreachable");
    }

    static byte[] es10(CardChannel ch, byte[] command) throws Exception {
      ResponseAPDU r = transmit(ch, command);
      assertThat(r.getSW()).isEqualTo(0x9000);
      return r.getData();
    }

    int sw(byte[] command) throws Exception {
      return transmit(channel, command).getSW();
    }

    static String eidOf(CardChannel ch) throws Exception {
      byte[] r = es10(ch, HexFormat.of().parseHex("BF3E035C015A"));
      return HexFormat.of().formatHex(r, 5, r.length);
    }

    /** GetProfilesInfo (BF2D), its answer in upper-case hex. */
    String profilesInfo() throws Exception {
      return HexFormat.of().withUpperCase().formatHex(es10("BF2D00"));
    }

    byte[] es10(String hex) throws Exception {
      return es10(channel, HexFormat.of().parseHex(hex));
    }

    /** The segment the last load was answered at, and how many it had. */
    int answeredAt;

    int segmentCount;

    ProfileInstallationResult load(byte[] certificate, byte[] bpp) throws Exception {
      es10(channel, TlvWriter.encode(0xF4, certificate));
      java.util.List<byte[]> segments = CardFixture.segments(bpp);
      segmentCount = segments.size();
      for (answeredAt = 0; answeredAt < segments.size(); answeredAt++) {
        byte[] answer = es10(channel, segments.get(answeredAt));
        if (answer.length > 0) {
          Sgp22Der.profileInstallationResult(answer);
          return CardLoadTest.pir(answer);
        }
      }
      throw new AssertionError("no result");
    }

    @Override
    public void close() throws Exception {
      card.disconnect(false);
    }
  }

  private static String reason(ProfileInstallationResult r) {
    return ((InstallationOutcome.ErrorResult) r.outcome()).errorReason().asn1Name();
  }

  @Test
  void loadsAndAttacks_throughJavaxSmartcardio() throws Exception {
    Eid a = f.sim.newChip();
    Eid b = f.sim.newChip();
    byte[] forA = f.sim.bind(a, 0);
    readers.insert(PORT, a);
    try (Station s = new Station(a)) {
      assertThat(s.profilesInfo()).isEqualTo("BF2D02A000");
      assertThat(s.load(f.certificate(), forA).isSuccess()).isTrue();
      assertThat(reason(s.load(f.certificate(), forA))).isEqualTo("invalidSignature"); // replay
      byte[] tampered = f.sim.bind(a, 0);
      tampered[tampered.length - 3] ^= 1;
      assertThat(reason(s.load(f.certificate(), tampered))).isEqualTo("scp03tSecurityError");
      // a flipped byte in a profile segment in the middle: answered at that segment
      byte[] middle = f.sim.bind(a, 1);
      java.util.List<byte[]> cut = CardFixture.segments(middle);
      int target = cut.size() - 5;
      int end = 0;
      for (int i = 0; i <= target; i++) {
        end += cut.get(i).length;
      }
      middle[end - 12] ^= 1;
      assertThat(reason(s.load(f.certificate(), middle))).isEqualTo("scp03tSecurityError");
      assertThat(s.answeredAt).isEqualTo(target).isLessThan(s.segmentCount - 1);
      assertThat(f.sim.remaining(a)).isEqualTo(1);
      String info = s.profilesInfo();
      assertThat(info).contains("9F700100"); // installed, disabled
    }
    readers.insert(PORT, b); // the next device
    try (Station s = new Station(b)) {
      assertThat(reason(s.load(f.certificate(), forA))).isEqualTo("invalidSignature"); // clone
    }
    assertThat(f.sim.remaining(b)).isEqualTo(4);
    f.sim.finalise(a);
    readers.insert(PORT, a);
    try (Station s = new Station(a)) {
      assertThat(reason(s.load(f.certificate(), f.sim.bind(b, 0)))).isEqualTo("ifppDisabled");
      String info = s.profilesInfo();
      assertThat(info).contains("5A0A");
      String iccid = info.substring(info.indexOf("5A0A"), info.indexOf("5A0A") + 24);
      assertThat(HexFormat.of().withUpperCase().formatHex(s.es10("BF3111A00C" + iccid + "8101FF")))
          .isEqualTo("BF3103800100");
      assertThat(s.profilesInfo()).contains("9F700101");
    }
    assertThat(readers.list()).extracting(ReaderService.Reader::eid).containsExactly(a);
  }

  @Test
  void finalisation_overApdus_receiptAndRefusals_thenGetEidAndGetProfilesInfo() throws Exception {
    Eid a = f.sim.newChip();
    Eid other = f.sim.newChip();
    readers.insert(PORT, a);
    try (Station s = new Station(a)) {
      assertThat(s.load(f.certificate(), f.sim.bind(a, 0)).isSuccess()).isTrue();
      String infoBefore = s.profilesInfo();
      // refusals, each a status word that changes nothing
      assertThat(s.sw(f.sim.deviceMaker.command(other, 1).encoded())).isEqualTo(0x6982);
      assertThat(s.sw(new org.ifpp.euicc.finalisation.DeviceMaker().command(a, 1).encoded()))
          .isEqualTo(0x6982);
      assertThat(s.sw(HexFormat.of().parseHex("BF7A03800101"))).isEqualTo(0x6A80);
      byte[] command = f.sim.deviceMaker.command(a, 1).encoded();
      byte[] badSignature = command.clone();
      badSignature[badSignature.length - 1] ^= 1;
      assertThat(s.sw(badSignature)).isEqualTo(0x6982);
      assertThat(f.sim.status(a).ifppEnabled()).isTrue();
      assertThat(f.sim.remaining(a)).isEqualTo(3);
      // the signed command: the chip's signed receipt
      SignedFinalisationReceipt receipt =
          SignedFinalisationReceipt.parse(Station.es10(s.channel, command));
      var chip = f.sim.chips.get(a);
      assertThat(receipt.verify(EcPublicKey.fromJca(chip.identity().certificate().getPublicKey())))
          .isTrue();
      assertThat(receipt.receipt().eid()).isEqualTo(a);
      assertThat(receipt.receipt().counter()).isEqualTo(1);
      assertThat(receipt.receipt().oneTimeKeysDeleted()).isEqualTo(3);
      assertThat(receipt.receipt().ifppLocked()).isTrue();
      assertThat(s.sw(command)).isEqualTo(0x6985); // replayed
      // after it: GetEID and GetProfilesInfo answer as before, a load is refused
      assertThat(Station.eidOf(s.channel)).isEqualTo(a.value());
      assertThat(s.profilesInfo()).isEqualTo(infoBefore).contains("9F700100");
      assertThat(reason(s.load(f.certificate(), f.sim.bind(other, 0)))).isEqualTo("ifppDisabled");
    }
    assertThat(f.sim.status(a).ifppEnabled()).isFalse();
    assertThat(f.sim.remaining(a)).isZero();
    assertThat(f.sim.remaining(other)).isEqualTo(4);
  }
}
