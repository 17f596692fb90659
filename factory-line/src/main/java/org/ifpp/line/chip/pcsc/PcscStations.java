package org.ifpp.line.chip.pcsc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.TerminalFactory;
import org.ifpp.line.chip.ChipClient;
import org.ifpp.line.chip.ChipStations;
import org.ifpp.line.chip.ChipUnavailableException;

/**
 * One PC/SC reader per station: station k of all the lines' stations (line by line) uses the vpcd
 * reader on port {@code firstPort + k}, named as scripts/pcsc.sh configures them ({@link
 * #readerName}); the simulator brings each device's chip into it ({@code PUT /api/v1/readers}).
 */
public final class PcscStations implements ChipStations {

  /** vpcd's first port. */
  public static final int FIRST_PORT = 35963;

  private final ChipClient simulator;
  private final int stationsPerLine;
  private final int firstPort;
  private final Duration timeout;
  private final Map<Integer, PcscStation> stations = new ConcurrentHashMap<>();

  public PcscStations(ChipClient simulator, int stationsPerLine, int firstPort, Duration timeout) {
    this.simulator = simulator;
    this.stationsPerLine = stationsPerLine;
    this.firstPort = firstPort;
    this.timeout = timeout;
  }

  /**
   * The reader on vpcd port {@code FIRST_PORT + k}: each vpcd entry is a reader with two slots, the
   * first entry named {@code Virtual PCD} (Debian's), the next {@code Virtual PCD 1}, ...
   */
  public static String readerName(int k) {
    int entry = k / 2;
    return (entry == 0 ? "Virtual PCD" : "Virtual PCD " + entry) + " 00 0" + (k % 2);
  }

  /**
   * The PC/SC readers present, or why there are none ({@code reader-unavailable}).
   *
   * @throws ChipUnavailableException when PC/SC does not answer
   */
  public static List<String> readers() {
    try {
      return TerminalFactory.getInstance("PC/SC", null).terminals().list().stream()
          .map(CardTerminal::getName)
          .toList();
    } catch (CardException | java.security.NoSuchAlgorithmException | RuntimeException e) {
      throw new ChipUnavailableException(
          "reader-unavailable", "PC/SC is not available: " + e.getMessage(), e);
    }
  }

  @Override
  public PcscStation station(int line, int station) {
    int k = line * stationsPerLine + station;
    return stations.computeIfAbsent(k, this::create);
  }

  private PcscStation create(int k) {
    int port = firstPort + k;
    String name = readerName(port - FIRST_PORT);
    CardTerminal reader;
    try {
      reader = TerminalFactory.getInstance("PC/SC", null).terminals().getTerminal(name);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new ChipUnavailableException("reader-unavailable", "no PC/SC in this JDK", e);
    }
    if (reader == null) {
      throw new ChipUnavailableException(
          "reader-unavailable", "no PC/SC reader " + name + " (vpcd port " + port + ")");
    }
    return new PcscStation(reader, eid -> simulator.insertIntoReader(port, eid), timeout);
  }

  /** APDUs sent by every station so far. */
  public long apdusSent() {
    return stations.values().stream().mapToLong(PcscStation::apdusSent).sum();
  }
}
