package org.ifpp.euicc.card;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;
import org.ifpp.crypto.tlv.TlvWriter;
import org.ifpp.euicc.chip.PendingNotification;
import org.ifpp.euicc.notifications.NotificationNotFoundException;

/**
 * The pending notifications over ES10b (SGP.22 5.7.9 ListNotification, 5.7.10
 * RetrieveNotificationsList, 5.7.11 RemoveNotificationFromList): every installation result the chip
 * keeps, each one the signed {@code BF37} exactly as its load answered it. They are all
 * notificationInstall events.
 */
final class Es10Notifications {

  /** NotificationEvent notificationInstall(0). */
  private static final int INSTALL = 0;

  private final Eid eid;
  private final CardServices services;

  Es10Notifications(Eid eid, CardServices services) {
    this.eid = eid;
    this.services = services;
  }

  /**
   * {@code BF28 [81 NotificationEvent]} -> {@code BF28 { A0 { BF2F NotificationMetadata ... } }},
   * each the metadata inside its signed result.
   */
  Es10Response list(Tlv request) {
    Optional<Tlv> events = request.child(0x81);
    boolean installs = events.isEmpty() || Ber.bitSet(events.get().value(), INSTALL);
    List<byte[]> items = new ArrayList<>();
    if (installs) {
      for (PendingNotification n : services.notifications().list(eid)) {
        items.add(metadataOf(n.profileInstallationResult()));
      }
    }
    return Es10Response.ok(
        TlvWriter.encodeConstructed(
            0xBF28, TlvWriter.encodeConstructed(0xA0, items.toArray(byte[][]::new))));
  }

  /**
   * {@code BF2B [A0 { 80 seqNumber | 81 NotificationEvent }]} -> {@code BF2B { A0 { BF37 ... } }}.
   */
  Es10Response retrieve(Tlv request) {
    long seq = -1;
    boolean installs = true;
    Optional<Tlv> criteria = request.child(0xA0);
    if (criteria.isPresent()) {
      List<Tlv> c = criteria.get().children();
      if (c.size() != 1) {
        return Es10Response.error(StatusWord.WRONG_DATA);
      }
      switch (c.get(0).tag()) {
        case 0x80 -> seq = Ber.intValue(c.get(0));
        case 0x81 -> installs = Ber.bitSet(c.get(0).value(), INSTALL);
        default -> {
          return Es10Response.error(StatusWord.WRONG_DATA);
        }
      }
    }
    List<byte[]> items = new ArrayList<>();
    if (installs) {
      for (PendingNotification n : services.notifications().list(eid)) {
        if (seq < 0 || n.seqNumber() == seq) {
          items.add(n.profileInstallationResult());
        }
      }
    }
    return Es10Response.ok(
        TlvWriter.encodeConstructed(
            0xBF2B, TlvWriter.encodeConstructed(0xA0, items.toArray(byte[][]::new))));
  }

  /** {@code BF30 { 80 seqNumber }} -> {@code BF30 { 80 ok(0) | nothingToDelete(1) }}. */
  Es10Response remove(Tlv request) {
    Optional<Tlv> seq = request.child(0x80);
    if (seq.isEmpty()) {
      return Es10Response.error(StatusWord.WRONG_DATA);
    }
    int status;
    try {
      services.notifications().remove(eid, Ber.intValue(seq.get()));
      status = 0;
    } catch (NotificationNotFoundException e) {
      status = 1;
    }
    return Es10Response.ok(TlvWriter.encodeConstructed(0xBF30, Ber.integer(0x80, status)));
  }

  /** The NotificationMetadata ({@code BF2F}) inside a signed {@code BF37}'s {@code BF27}. */
  private static byte[] metadataOf(byte[] pir) {
    Tlv bf37 = TlvReader.readSingle(pir, TlvLimits.DEFAULT);
    Tlv bf27 = bf37.child(0xBF27).orElseThrow();
    return bf27.child(0xBF2F).orElseThrow().encoded();
  }
}
