package org.ifpp.line.chip.pcsc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.smartcardio.Card;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
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
 * <p>No card in time, a card removed mid-exchange, another chip in the reader: a {@link
 * ChipUnavailableException} with its reason, reported per device; the chip's own result, if it
 * produced one, stays among its notifications.
 */
public final class PcscStation implements ChipTransport {

  /** Brings a chip into this station's reader (the simulator's readers API in the demo). */
  @FunctionalInterface
  public interface Conveyor {
    void bring(String eid);
  }

  private final CardTerminal reader;
  private final Conveyor conveyor;
  private final Duration timeout;
  private Card card;
  private Apdus apdus;
  private String cardEid;
  private long apduCount;

  public PcscStation(CardTerminal reader, Conveyor conveyor, Duration timeout) {
    this.reader = Objects.requireNonNull(reader, "reader");
    this.conveyor = Objects.requireNonNull(conveyor, "conveyor");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** APDUs this station has sent so far. */
  public synchronized long apdusSent() {
    return apduCount + (apdus == null ? 0 : apdus.sent());
  }

  @Override
  public synchronized LoadOutcome load(String eid, byte[] boundPackage, byte[] certificate) {
    List<byte[]> segments;
    try {
      segments = Es10bSegments.split(boundPackage);
    } catch (RuntimeException e) {
      return new LoadOutcome(false, "malformed-package", null, new byte[0]);
    }
    Apdus channel = cardFor(eid, true);
    if (certificate != null) {
      channel.es10(TlvWriter.encode(0xF4, certificate));
    }
    for (byte[] segment : segments) {
      byte[] answer = channel.es10(segment);
      if (answer.length > 0) {
        return outcome(answer);
      }
    }
    throw new ChipUnavailableException("card-error", "the chip answered no installation result");
  }

  @Override
  public synchronized List<Notification> notifications(String eid) {
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
                r.transactionId().toHex(),
                r.iccid().map(i -> i.value()).orElse(null),
                r.isSuccess(),
                pir.encoded()));
      }
    }
    return out;
  }

  @Override
  public synchronized void removeNotification(String eid, long seqNumber) {
    byte[] seq = java.math.BigInteger.valueOf(seqNumber).toByteArray();
    cardFor(eid, false).es10(TlvWriter.encodeConstructed(0xBF30, TlvWriter.encode(0x80, seq)));
  }

  /**
   * The channel to chip {@code eid} in this reader: brought by the conveyor first when {@code
   * bring}, or when another chip is there; the EID is checked with GetEID.
   */
  private Apdus cardFor(String eid, boolean bring) {
    if (!bring && eid.equals(cardEid) && apdus != null) {
      return apdus;
    }
    disconnect();
    conveyor.bring(eid);
    long deadline = System.nanoTime() + timeout.toNanos();
    String seen = null;
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
        apdus = new Apdus(card.getBasicChannel());
        apdus.selectIsdR();
        byte[] answer = apdus.es10(TlvWriter.encode(0xBF3E, new byte[] {0x5C, 0x01, 0x5A}));
        Tlv eidTlv = TlvReader.readSingle(answer, TlvLimits.DEFAULT).child(0x5A).orElseThrow();
        seen = Eid.fromBytes(eidTlv.value()).value();
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
    if (apdus != null) {
      apduCount += apdus.sent();
      apdus = null;
    }
    cardEid = null;
    if (card != null) {
      try {
        card.disconnect(false);
      } catch (CardException | IllegalStateException e) {
        // gone already
      }
      card = null;
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
    return new LoadOutcome(r.isSuccess(), reason, r.iccid().map(i -> i.value()).orElse(null), pir);
  }

  @Override
  public String toString() {
    return "PcscStation[" + reader.getName() + "]";
  }
}
