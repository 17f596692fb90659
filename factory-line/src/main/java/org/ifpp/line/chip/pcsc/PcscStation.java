package org.ifpp.line.chip.pcsc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.smartcardio.Card;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import org.ifpp.crypto.bpp.BppEuiccOtpk;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.pir.InstallationOutcome;
import org.ifpp.crypto.pir.PirParseResult;
import org.ifpp.crypto.pir.PirStructure;
import org.ifpp.crypto.pir.ProfileInstallationResult;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;
import org.ifpp.crypto.tlv.TlvWriter;
import org.ifpp.line.chip.ChipTransport;
import org.ifpp.line.chip.ChipUnavailableException;
import org.ifpp.line.chip.LoadOutcome;
import org.ifpp.line.chip.Notification;

/**
 * A programming station with a PC/SC reader, as a station with a real reader works: through {@code
 * javax.smartcardio}, in APDUs, with SGP.22's ES10 functions. For each device the conveyor ({@link
 * Conveyor}) brings the chip into this station's reader; the station waits for the card, reads its
 * EID (ES10c.GetEID) and refuses to go on if it is not the claimed chip, sends the binding
 * certificate ({@code F4}) and the package segmented as an LPA does (ES10b.LoadBoundProfilePackage)
 * and returns the chip's signed result. Notifications are read and removed over ES10b too.
 *
 * <p>No card in time, a card removed mid-exchange, a card that stops answering an APDU (bounded by
 * the station's timeout, per APDU), another chip in the reader: a {@link ChipUnavailableException}
 * with its reason ({@code no-card}, {@code card-removed}, {@code timeout}, {@code wrong-chip}),
 * reported per device; the chip's own result, if it produced one, stays among its notifications.
 */
public final class PcscStation implements ChipTransport {

  /** Brings a chip into this station's reader (the simulator's readers API in the demo). */
  @FunctionalInterface
  public interface Conveyor {
    void bring(Eid eid);
  }

  private final CardTerminal reader;
  private final Conveyor conveyor;
  private final Duration timeout;
  private final ExecutorService exchanges;
  private Card card;
  private Apdus apdus;
  private Eid cardEid;
  private long apduCount;

  public PcscStation(CardTerminal reader, Conveyor conveyor, Duration timeout) {
    this.reader = Objects.requireNonNull(reader, "reader");
    this.conveyor = Objects.requireNonNull(conveyor, "conveyor");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    String name = "pcsc-" + reader.getName();
    // Exchange threads: one is reused while the card answers; one stuck in the driver is left
    // behind (daemon, never waited for) and the next exchange gets another.
    this.exchanges =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
  }

  /** APDUs this station has sent so far. */
  public synchronized long apdusSent() {
    return apduCount + (apdus == null ? 0 : apdus.sent());
  }

  /**
   * Loads the package; with {@code bppEuiccOtpk} the chip is first told the key the package is
   * bound to ({@code F5}), and a chip that no longer has it ({@code 6985}) or never had it ({@code
   * 6A88}) is answered before any segment is sent, nothing consumed.
   */
  @Override
  public synchronized LoadOutcome load(
      Eid eid, byte[] boundPackage, byte[] certificate, String bppEuiccOtpk) {
    List<byte[]> segments;
    byte[] keyCommand;
    try {
      segments = Es10bSegments.split(boundPackage);
      keyCommand =
          bppEuiccOtpk == null
              ? null
              : TlvWriter.encode(0xF5, BppEuiccOtpk.fromHex(bppEuiccOtpk).encode());
    } catch (RuntimeException e) {
      return new LoadOutcome(false, "malformed-package", null, new byte[0]);
    }
    Apdus channel = cardFor(eid, true);
    try {
      if (certificate != null) {
        channel.es10(TlvWriter.encode(0xF4, certificate));
      }
      if (keyCommand != null) {
        int sw = channel.es10Answer(keyCommand).getSW();
        if (sw == 0x6985 || sw == 0x6A88) {
          return new LoadOutcome(
              false, sw == 0x6985 ? ONE_TIME_KEY_SPENT : ONE_TIME_KEY_UNKNOWN, null, new byte[0]);
        }
        if (sw != 0x9000) {
          throw new ChipUnavailableException(
              "card-error", String.format("the one-time key id was answered %04X", sw));
        }
      }
      for (byte[] segment : segments) {
        byte[] answer = channel.es10(segment);
        if (answer.length > 0) {
          return outcome(answer);
        }
      }
    } catch (ChipUnavailableException e) {
      dropIfAbandoned();
      throw e;
    }
    throw new ChipUnavailableException("card-error", "the chip answered no installation result");
  }

  /**
   * Gives the chip the device maker's signed finalisation command as an ES10-style command
   * (docs/finalisation.md section 5): the BF7A TLV in STORE DATA, answered with the chip's signed
   * receipt (BF7B).
   *
   * @throws FinalisationRefusedException when the chip refuses it ({@code 6985}, {@code 6982},
   *     {@code 6A80}): nothing changed on the chip
   */
  public synchronized byte[] finalise(Eid eid, byte[] signedCommand) {
    Apdus channel = cardFor(eid, true);
    try {
      javax.smartcardio.ResponseAPDU r = channel.es10Answer(signedCommand);
      if (r.getSW() != 0x9000) {
        throw new FinalisationRefusedException(eid, r.getSW());
      }
      return r.getData();
    } catch (ChipUnavailableException e) {
      dropIfAbandoned();
      throw e;
    }
  }

  /** After an unanswered APDU: the card is given up, the next call reconnects. */
  private void dropIfAbandoned() {
    if (apdus != null && apdus.abandoned()) {
      disconnect();
    }
  }

  @Override
  public synchronized List<Notification> notifications(Eid eid) {
    byte[] answer = cardFor(eid, false).es10(TlvWriter.encode(0xBF2B, new byte[0]));
    Tlv list = TlvReader.readSingle(answer, TlvLimits.DEFAULT).child(0xA0).orElse(null);
    List<Notification> out = new ArrayList<>();
    if (list == null) {
      return out;
    }
    for (Tlv pir : list.children()) {
      if (PirStructure.check(pir.encoded()) instanceof PirParseResult.Parsed p) {
        ProfileInstallationResult r = p.result().result();
        out.add(
            new Notification(
                r.seqNumber(),
                r.transactionId(),
                r.iccid().orElse(null),
                r.isSuccess(),
                pir.encoded()));
      }
    }
    return out;
  }

  @Override
  public synchronized void removeNotification(Eid eid, long seqNumber) {
    byte[] seq = java.math.BigInteger.valueOf(seqNumber).toByteArray();
    cardFor(eid, false).es10(TlvWriter.encodeConstructed(0xBF30, TlvWriter.encode(0x80, seq)));
  }

  /**
   * The channel to chip {@code eid} in this reader: brought by the conveyor first when {@code
   * bring}, or when another chip is there; the EID is checked with GetEID.
   */
  private Apdus cardFor(Eid eid, boolean bring) {
    if (!bring && eid.equals(cardEid) && apdus != null) {
      return apdus;
    }
    disconnect();
    conveyor.bring(eid);
    long deadline = System.nanoTime() + timeout.toNanos();
    Eid seen = null;
    while (true) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      try {
        if (System.nanoTime() > deadline || !reader.waitForCardPresent(left)) {
          throw seen == null
              ? new ChipUnavailableException(
                  "no-card", "no card came into " + reader.getName() + " within " + timeout)
              : new ChipUnavailableException(
                  "wrong-chip", reader.getName() + " holds chip " + seen + ", not " + eid);
        }
        card = reader.connect("*");
        apdus = new Apdus(card.getBasicChannel(), exchanges, timeout);
        apdus.selectIsdR();
        byte[] answer = apdus.es10(TlvWriter.encode(0xBF3E, new byte[] {0x5C, 0x01, 0x5A}));
        Tlv eidTlv = TlvReader.readSingle(answer, TlvLimits.DEFAULT).child(0x5A).orElseThrow();
        seen = Eid.fromBytes(eidTlv.value());
        if (seen.equals(eid)) {
          cardEid = eid;
          return apdus;
        }
      } catch (CardException | RuntimeException e) {
        if (e instanceof ChipUnavailableException c
            && ("no-card".equals(c.code()) || "wrong-chip".equals(c.code()))) {
          throw c;
        }
        // the previous card was still going out, or the new one not quite in: look again
      }
      disconnect();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ChipUnavailableException("timeout", "interrupted waiting for " + eid);
      }
    }
  }

  private void disconnect() {
    boolean stuck = apdus != null && apdus.abandoned();
    if (apdus != null) {
      apduCount += apdus.sent();
      apdus = null;
    }
    cardEid = null;
    if (card != null) {
      Card gone = card;
      card = null;
      Runnable close =
          () -> {
            try {
              gone.disconnect(false);
            } catch (CardException | IllegalStateException e) {
              // gone already
            }
          };
      if (stuck) {
        exchanges.execute(close); // the driver may block it too: not waited for
      } else {
        close.run();
      }
    }
  }

  private static LoadOutcome outcome(byte[] pir) {
    if (!(PirStructure.check(pir) instanceof PirParseResult.Parsed p)) {
      throw new ChipUnavailableException(
          "card-error", "the chip answered no readable installation result");
    }
    ProfileInstallationResult r = p.result().result();
    String reason =
        r.outcome() instanceof InstallationOutcome.ErrorResult e
            ? e.errorReason().asn1Name()
            : null;
    return new LoadOutcome(r.isSuccess(), reason, r.iccid().orElse(null), pir);
  }

  @Override
  public String toString() {
    return "PcscStation[" + reader.getName() + "]";
  }
}
