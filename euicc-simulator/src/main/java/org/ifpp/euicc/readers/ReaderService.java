package org.ifpp.euicc.readers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.euicc.card.ApduCard;
import org.ifpp.euicc.card.CardServices;
import org.ifpp.euicc.card.VpcdClient;

/**
 * The simulator's chips in PC/SC readers, as a conveyor brings a device to a station's reader: each
 * reader is a vpcd port (vsmartcard's virtual reader driver of {@code pcscd}, see scripts/pcsc.sh);
 * inserting a chip connects an {@link ApduCard} of it to that port, removing it disconnects. A chip
 * is in one reader at a time. A card whose reader goes away (pcscd restarted) reconnects until it
 * is removed.
 */
public final class ReaderService {

  /** One reader with a chip in it. */
  public record Reader(int port, Eid eid, boolean connected) {}

  private final CardServices services;
  private final String vpcdHost;
  private final Map<Integer, Inserted> readers = new ConcurrentHashMap<>();

  public ReaderService(CardServices services, String vpcdHost) {
    this.services = Objects.requireNonNull(services, "services");
    this.vpcdHost = Objects.requireNonNull(vpcdHost, "vpcdHost");
  }

  /**
   * Puts the chip into the reader at {@code port}, taking out whatever chip was in it.
   *
   * @throws ReaderException {@code invalid-reader} for a port outside 1-65535, {@code
   *     chip-in-another-reader} if the chip is in another reader
   * @throws org.ifpp.euicc.chip.ChipNotFoundException for an unknown EID
   */
  public synchronized Reader insert(int port, Eid eid) {
    requireValid(port);
    services.chips().get(eid);
    for (Inserted i : readers.values()) {
      if (i.eid.equals(eid) && i.port != port) {
        throw new ReaderException(
            SimulatorError.CHIP_IN_ANOTHER_READER, "chip " + eid + " is in reader " + i.port);
      }
    }
    Inserted previous = readers.remove(port);
    if (previous != null) {
      previous.stop();
    }
    Inserted now = new Inserted(port, eid, new ApduCard(eid, services));
    readers.put(port, now);
    now.start(new InetSocketAddress(vpcdHost, port));
    return now.view();
  }

  /**
   * Takes the chip out of the reader at {@code port}.
   *
   * @throws ReaderException {@code reader-not-found} when no chip is in it
   */
  public synchronized void remove(int port) {
    requireValid(port);
    Inserted i = readers.remove(port);
    if (i == null) {
      throw new ReaderException(SimulatorError.READER_NOT_FOUND, "no chip in reader " + port);
    }
    i.stop();
  }

  /** The readers holding a chip, by port. */
  public List<Reader> list() {
    List<Reader> out = new ArrayList<>();
    readers.values().forEach(i -> out.add(i.view()));
    out.sort((a, b) -> Integer.compare(a.port(), b.port()));
    return out;
  }

  /** Takes every chip out (shutdown). */
  public synchronized void removeAll() {
    readers.values().forEach(Inserted::stop);
    readers.clear();
  }

  private static void requireValid(int port) {
    if (port < 1 || port > 65535) {
      throw new ReaderException(SimulatorError.INVALID_READER, "a reader is a vpcd port, 1-65535");
    }
  }

  private static final class Inserted {
    final int port;
    final Eid eid;
    final ApduCard card;
    volatile VpcdClient client;
    volatile boolean stopped;
    Thread thread;

    Inserted(int port, Eid eid, ApduCard card) {
      this.port = port;
      this.eid = eid;
      this.card = card;
    }

    Reader view() {
      return new Reader(port, eid, client != null && client.isConnected());
    }

    void start(InetSocketAddress address) {
      client = new VpcdClient(card, address);
      thread =
          new Thread(
              () -> {
                while (!stopped) {
                  try {
                    client.serve();
                  } catch (IOException e) {
                    // no reader on that port (yet): try again
                  }
                  if (!stopped) {
                    try {
                      Thread.sleep(500);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                }
              },
              "reader-" + port);
      thread.setDaemon(true);
      thread.start();
    }

    void stop() {
      stopped = true;
      client.stop();
      thread.interrupt();
      try {
        thread.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
