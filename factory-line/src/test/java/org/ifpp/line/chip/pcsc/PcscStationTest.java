package org.ifpp.line.chip.pcsc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.smartcardio.ATR;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.pir.InstallationOutcome;
import org.ifpp.crypto.pir.ProfileInstallationResult;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.signing.SoftwareSigner;
import org.ifpp.crypto.tlv.TlvWriter;
import org.ifpp.line.chip.ChipUnavailableException;
import org.ifpp.line.chip.LoadOutcome;
import org.junit.jupiter.api.Test;

/**
 * The station's side of the reader, against a scripted card (javax.smartcardio's abstract classes):
 * what it sends, and how it reports no card, another chip and a card pulled out mid-load. The real
 * card behind a real pcscd is the simulator's PcscIT and the demo over PC/SC.
 */
class PcscStationTest {

  static final Eid EID = Eid.withCheckDigits("890490329990000000000000000001");
  static final Eid OTHER = Eid.withCheckDigits("890490329990000000000000000002");

  /** A package of the right shape (its content does not matter to the station). */
  static final byte[] BPP =
      TlvWriter.encodeConstructed(
          0xBF36,
          TlvWriter.encodeConstructed(0xBF23, TlvWriter.encode(0x82, new byte[] {1})),
          TlvWriter.encodeConstructed(0xA0, TlvWriter.encode(0x87, new byte[24])),
          TlvWriter.encodeConstructed(0xA1, TlvWriter.encode(0x88, new byte[31])),
          TlvWriter.encodeConstructed(
              0xA3, TlvWriter.encode(0x86, new byte[600]), TlvWriter.encode(0x86, new byte[40])));

  static byte[] pir() {
    byte[] scalar = new byte[32];
    scalar[31] = 7;
    return new ProfileInstallationResult(
            TransactionId.fromHex("00112233445566778899AABBCCDDEEFF"),
            5,
            "keymaker.test",
            Optional.of(Iccid.of("8949449999999990023")),
            Optional.of("2.999.1"),
            new InstallationOutcome.SuccessResult(
                HexFormat.of().parseHex("A0000005591010FFFFFFFF8900001100"),
                HexFormat.of().parseHex("3007A0053003800100")))
        .sign(SoftwareSigner.deterministicFromScalar(Curve.P256, SecretBytes.copyOf(scalar)))
        .encoded();
  }

  /** A card that answers GetEID with {@code eid} and the last 86 segment with a result. */
  static Function<CommandAPDU, ResponseAPDU> chip(Eid eid, List<String> log) {
    byte[] pir = pir();
    return c -> {
      byte[] data = c.getData();
      log.add(String.format("%02X%02X%02X%02X", c.getCLA(), c.getINS(), c.getP1(), c.getP2()));
      if (c.getINS() == 0xA4) {
        return ok(new byte[0]);
      }
      if (data.length > 1 && (data[0] & 0xFF) == 0xBF && data[1] == 0x3E) {
        return ok(TlvWriter.encodeConstructed(0xBF3E, TlvWriter.encode(0x5A, eid.toBytes())));
      }
      if ((data[0] & 0xFF) == 0x86 && data.length < 100 && c.getP1() == 0x91) {
        return ok(pir);
      }
      return ok(new byte[0]);
    };
  }

  static ResponseAPDU ok(byte[] data) {
    byte[] r = java.util.Arrays.copyOf(data, data.length + 2);
    r[data.length] = (byte) 0x90;
    return new ResponseAPDU(r);
  }

  @Test
  void load_bringsTheChip_checksItsEid_andReportsItsSignedResult() {
    List<String> log = new ArrayList<>();
    List<Eid> brought = new ArrayList<>();
    FakeTerminal reader = new FakeTerminal(chip(EID, log));
    PcscStation station = new PcscStation(reader, brought::add, Duration.ofSeconds(2));

    LoadOutcome o = station.load(EID, BPP, new byte[300]);

    assertThat(brought).containsExactly(EID);
    assertThat(o.installed()).isTrue();
    assertThat(o.iccid()).isEqualTo(Iccid.of("8949449999999990023"));
    assertThat(o.pir()).isEqualTo(pir());
    // SELECT, GetEID, F4 in two blocks, then each segment: 6 segments, the 600-byte 86 in three
    assertThat(log)
        .containsExactly(
            "00A40400",
            "80E29100",
            "80E21100",
            "80E29101",
            "80E29100",
            "80E29100",
            "80E29100",
            "80E29100",
            "80E29100",
            "80E21100",
            "80E21101",
            "80E29102",
            "80E29100");
    assertThat(station.apdusSent()).isEqualTo(13);
  }

  @Test
  void noCard_isReportedNoCard() {
    FakeTerminal reader = new FakeTerminal(chip(EID, new ArrayList<>()));
    reader.present = false;
    PcscStation station = new PcscStation(reader, e -> {}, Duration.ofMillis(200));
    assertThatThrownBy(() -> station.load(EID, BPP, new byte[10]))
        .isInstanceOf(ChipUnavailableException.class)
        .extracting(e -> ((ChipUnavailableException) e).code())
        .isEqualTo("no-card");
  }

  @Test
  void anotherChipInTheReader_isReportedWrongChip_andNothingIsSent() {
    List<String> log = new ArrayList<>();
    PcscStation station =
        new PcscStation(new FakeTerminal(chip(OTHER, log)), e -> {}, Duration.ofMillis(300));
    assertThatThrownBy(() -> station.load(EID, BPP, new byte[10]))
        .extracting(e -> ((ChipUnavailableException) e).code())
        .isEqualTo("wrong-chip");
    assertThat(log).allMatch(s -> s.equals("00A40400") || s.equals("80E29100"));
  }

  @Test
  void cardPulledOutMidLoad_isReportedCardRemoved() {
    List<String> log = new ArrayList<>();
    Function<CommandAPDU, ResponseAPDU> chip = chip(EID, log);
    FakeTerminal reader =
        new FakeTerminal(
            c -> {
              if (log.size() >= 5) {
                throw new IllegalStateException("removed");
              }
              return chip.apply(c);
            });
    PcscStation station = new PcscStation(reader, e -> {}, Duration.ofSeconds(1));
    assertThatThrownBy(() -> station.load(EID, BPP, new byte[10]))
        .extracting(e -> ((ChipUnavailableException) e).code())
        .isEqualTo("card-removed");
  }

  @Test
  void aPackageThatIsNotABf36_isRefusedWithoutTouchingTheReader() {
    List<Eid> brought = new ArrayList<>();
    PcscStation station =
        new PcscStation(
            new FakeTerminal(chip(EID, new ArrayList<>())), brought::add, Duration.ofSeconds(1));
    LoadOutcome o = station.load(EID, new byte[] {1, 2, 3}, new byte[10]);
    assertThat(o.installed()).isFalse();
    assertThat(o.reason()).isEqualTo("malformed-package");
    assertThat(brought).isEmpty();
  }

  static final String KEY_ID = "04" + "11".repeat(64);

  @Test
  void keyId_isSentBeforeTheSegments_andAKeyTheChipNoLongerHas_endsTheLoadBeforeAnySegment() {
    List<String> log = new ArrayList<>();
    Function<CommandAPDU, ResponseAPDU> chip = chip(EID, log);
    List<byte[]> commands = new ArrayList<>();
    int[] keySw = {0x9000};
    FakeTerminal reader =
        new FakeTerminal(
            c -> {
              byte[] d = c.getData();
              if (c.getINS() == 0xE2) {
                commands.add(d);
              }
              if (d.length > 0 && (d[0] & 0xFF) == 0xF5) {
                return new ResponseAPDU(new byte[] {(byte) (keySw[0] >> 8), (byte) keySw[0]});
              }
              return chip.apply(c);
            });
    PcscStation station = new PcscStation(reader, e -> {}, Duration.ofSeconds(2));
    assertThat(station.load(EID, BPP, null, KEY_ID).installed()).isTrue();
    assertThat(HexFormat.of().withUpperCase().formatHex(commands.get(1)))
        .isEqualTo("F5445F4941" + KEY_ID);
    assertThat(commands.get(2)[0] & 0xFF).isEqualTo(0xBF); // then the BF36 segment
    for (int sw : new int[] {0x6985, 0x6A88}) {
      keySw[0] = sw;
      commands.clear();
      LoadOutcome o = station.load(EID, BPP, null, KEY_ID);
      assertThat(o.installed()).isFalse();
      assertThat(o.hasSignedResult()).isFalse();
      assertThat(o.reason())
          .isEqualTo(sw == 0x6985 ? "one-time-key-spent" : "one-time-key-unknown");
      assertThat(commands).noneMatch(d -> (d[0] & 0xFF) == 0xBF && d[1] == 0x36);
    }
    assertThat(station.load(EID, BPP, null, "04ABCD").reason()).isEqualTo("malformed-package");
  }

  @Test
  void aCardThatStopsAnsweringMidApdu_isReportedTimeout_withinTheBound_andTheStationGoesOn() {
    List<String> log = new ArrayList<>();
    Function<CommandAPDU, ResponseAPDU> chip = chip(EID, log);
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    boolean[] hang = {true};
    FakeTerminal reader =
        new FakeTerminal(
            c -> {
              if (hang[0] && log.size() >= 5) {
                try {
                  never.await(); // the driver never returns
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return chip.apply(c);
            });
    PcscStation station = new PcscStation(reader, e -> {}, Duration.ofMillis(300));
    long start = System.nanoTime();
    assertThatThrownBy(() -> station.load(EID, BPP, new byte[10]))
        .isInstanceOf(ChipUnavailableException.class)
        .extracting(e -> ((ChipUnavailableException) e).code())
        .isEqualTo("timeout");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    // the stuck exchange holds nothing up: the card back, the station loads it on a new connection
    hang[0] = false;
    log.clear();
    assertThat(station.load(EID, BPP, new byte[10]).installed()).isTrue();
    never.countDown();
  }

  @Test
  void finalise_sendsTheBf7aInStoreData_andReturnsTheReceipt_orTheRefusalsStatusWord() {
    List<String> log = new ArrayList<>();
    Function<CommandAPDU, ResponseAPDU> chip = chip(EID, log);
    byte[] receipt = TlvWriter.encodeConstructed(0xBF7B, TlvWriter.encode(0x80, new byte[] {1}));
    List<byte[]> sent = new ArrayList<>();
    int[] sw = {0x9000};
    FakeTerminal reader =
        new FakeTerminal(
            c -> {
              byte[] d = c.getData();
              if (d.length > 1 && (d[0] & 0xFF) == 0xBF && d[1] == 0x7A) {
                sent.add(d);
                return sw[0] == 0x9000
                    ? ok(receipt)
                    : new ResponseAPDU(new byte[] {(byte) (sw[0] >> 8), (byte) sw[0]});
              }
              return chip.apply(c);
            });
    List<Eid> brought = new ArrayList<>();
    PcscStation station = new PcscStation(reader, brought::add, Duration.ofSeconds(2));
    byte[] command = TlvWriter.encodeConstructed(0xBF7A, TlvWriter.encode(0x80, new byte[] {7}));
    assertThat(station.finalise(EID, command)).isEqualTo(receipt);
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0)).isEqualTo(command);
    assertThat(brought).containsExactly(EID);
    for (int[] c : new int[][] {{0x6985, 0}, {0x6982, 1}, {0x6A80, 2}}) {
      sw[0] = c[0];
      assertThatThrownBy(() -> station.finalise(EID, command))
          .isInstanceOf(FinalisationRefusedException.class)
          .extracting(e -> ((FinalisationRefusedException) e).code())
          .isEqualTo(
              new String[] {
                    "finalisation-conditions-not-satisfied",
                    "finalisation-security-status",
                    "finalisation-malformed"
                  }
                  [c[1]]);
    }
  }

  /** A reader whose card answers with {@code card}; an exception thrown there is a dead card. */
  static final class FakeTerminal extends CardTerminal {
    final Function<CommandAPDU, ResponseAPDU> card;
    volatile boolean present = true;

    FakeTerminal(Function<CommandAPDU, ResponseAPDU> card) {
      this.card = card;
    }

    @Override
    public String getName() {
      return "Fake 00 00";
    }

    @Override
    public Card connect(String protocol) throws CardException {
      if (!present) {
        throw new CardException("no card");
      }
      return new FakeCard(card);
    }

    @Override
    public boolean isCardPresent() {
      return present;
    }

    @Override
    public boolean waitForCardPresent(long timeout) throws CardException {
      if (!present) {
        try {
          Thread.sleep(Math.min(timeout, 50));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return present;
    }

    @Override
    public boolean waitForCardAbsent(long timeout) {
      return !present;
    }
  }

  static final class FakeCard extends Card {
    final Function<CommandAPDU, ResponseAPDU> answer;

    FakeCard(Function<CommandAPDU, ResponseAPDU> answer) {
      this.answer = answer;
    }

    @Override
    public ATR getATR() {
      return new ATR(HexFormat.of().parseHex("3B8080010101"));
    }

    @Override
    public String getProtocol() {
      return "T=1";
    }

    @Override
    public CardChannel getBasicChannel() {
      Card self = this;
      return new CardChannel() {
        @Override
        public Card getCard() {
          return self;
        }

        @Override
        public int getChannelNumber() {
          return 0;
        }

        @Override
        public ResponseAPDU transmit(CommandAPDU command) throws CardException {
          try {
            return answer.apply(command);
          } catch (IllegalStateException e) {
            throw new CardException("card removed", e);
          }
        }

        @Override
        public int transmit(ByteBuffer command, ByteBuffer response) {
          throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public CardChannel openLogicalChannel() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void beginExclusive() {}

    @Override
    public void endExclusive() {}

    @Override
    public byte[] transmitControlCommand(int controlCode, byte[] command) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void disconnect(boolean reset) {}
  }
}
