package org.ifpp.line.finalise;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import org.ifpp.crypto.finalisation.MalformedFinalisationException;
import org.ifpp.crypto.finalisation.SignedFinalisationReceipt;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.line.chip.ChipClient;
import org.ifpp.line.chip.ChipUnavailableException;
import org.ifpp.line.chip.pcsc.FinalisationRefusedException;
import org.ifpp.line.chip.pcsc.PcscStation;
import org.ifpp.line.http.HttpCallException;
import org.ifpp.line.http.Json;

/**
 * The line's last step (GENS13, DMF03/EUICCF03): after loading, the device maker's tooling gives
 * every chip its signed finalisation command and collects the chips' signed receipts, which go to
 * the Key Maker as a receipts file ({@link #writeReceipts}, docs/factory-line.md). The line cannot
 * verify a receipt (it does not hold the chips' certificates' trust); it checks only that it is a
 * receipt for the chip and counter it asked.
 */
public final class FinalisationRun {

  /** The receipts file's format tag, which the Key Maker's import checks. */
  public static final String FORMAT = "ifpp-finalisation-receipts/1";

  /** One chip's answer: its receipt, or the refusal's code. */
  public record Outcome(Eid eid, byte[] receipt, String refusal) {
    public boolean finalised() {
      return receipt != null;
    }
  }

  /** Every chip's outcome, in EID order. */
  public record Summary(List<Outcome> outcomes) {
    public long finalised() {
      return outcomes.stream().filter(Outcome::finalised).count();
    }

    public Map<String, Long> refusals() {
      Map<String, Long> byCode = new TreeMap<>();
      outcomes.stream()
          .filter(o -> !o.finalised())
          .forEach(o -> byCode.merge(o.refusal(), 1L, Long::sum));
      return byCode;
    }

    public String toText() {
      return "finalised "
          + finalised()
          + " of "
          + outcomes.size()
          + (refusals().isEmpty() ? "" : ", refused " + refusals());
    }
  }

  /**
   * How a station gives one chip its command: the simulator's REST call ({@link
   * ChipClient#finalise}) or an ES10-style card command through a reader ({@link
   * PcscStation#finalise}).
   */
  @FunctionalInterface
  public interface Station {
    /**
     * @return the chip's signed receipt (BF7B)
     * @throws HttpCallException, {@link FinalisationRefusedException} or {@link
     *     ChipUnavailableException} when it was refused or the chip not reached
     */
    byte[] finalise(Eid eid, byte[] signedCommand);
  }

  private final IntFunction<Station> stationFactory;
  private final DeviceMakerKey key;
  private final int stations;
  private final BiConsumer<Eid, byte[]> commandTap;

  public FinalisationRun(ChipClient chips, DeviceMakerKey key, int stations) {
    this(chips, key, stations, (eid, command) -> {});
  }

  /**
   * @param commandTap sees each signed command as it is sent (the demo keeps one to replay it)
   */
  public FinalisationRun(
      ChipClient chips, DeviceMakerKey key, int stations, BiConsumer<Eid, byte[]> commandTap) {
    this(k -> chips::finalise, key, stations, commandTap);
  }

  /**
   * @param stationFactory station {@code k} (0 .. stations-1); each is used by one thread at a time
   */
  public FinalisationRun(
      IntFunction<Station> stationFactory,
      DeviceMakerKey key,
      int stations,
      BiConsumer<Eid, byte[]> commandTap) {
    this.stationFactory = stationFactory;
    this.key = key;
    this.stations = Math.max(1, stations);
    this.commandTap = commandTap;
  }

  /** Finalises {@code eids}, each with its own command carrying {@code counter}. */
  public Summary run(List<Eid> eids, long counter) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(stations);
    BlockingQueue<Station> free = new ArrayBlockingQueue<>(stations);
    for (int k = 0; k < stations; k++) {
      free.add(stationFactory.apply(k));
    }
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (Eid eid : eids) {
        futures.add(
            pool.submit(
                () -> {
                  Station station = free.take();
                  try {
                    return finalise(station, eid, counter);
                  } finally {
                    free.add(station);
                  }
                }));
      }
      List<Outcome> out = new ArrayList<>();
      for (Future<Outcome> f : futures) {
        try {
          out.add(f.get());
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("finalisation station failed", e.getCause());
        }
      }
      out.sort(java.util.Comparator.comparing(o -> o.eid().value()));
      return new Summary(out);
    } finally {
      pool.shutdownNow();
    }
  }

  private Outcome finalise(Station station, Eid eid, long counter) {
    byte[] receipt;
    byte[] command = key.command(eid, counter).encoded();
    commandTap.accept(eid, command);
    try {
      receipt = station.finalise(eid, command);
    } catch (HttpCallException e) {
      return new Outcome(eid, null, e.code() != null ? e.code() : "unreachable");
    } catch (FinalisationRefusedException e) {
      return new Outcome(eid, null, e.code());
    } catch (ChipUnavailableException e) {
      return new Outcome(eid, null, e.code());
    }
    try {
      var r = SignedFinalisationReceipt.parse(receipt).receipt();
      if (!r.eid().equals(eid) || r.counter() != counter) {
        return new Outcome(eid, null, "receipt-mismatch");
      }
    } catch (MalformedFinalisationException e) {
      return new Outcome(eid, null, "receipt-malformed");
    }
    return new Outcome(eid, receipt, null);
  }

  /**
   * Writes the receipts as the Key Maker imports them: {@code {"format":
   * "ifpp-finalisation-receipts/1", "receipts": [{"eid", "receipt": base64 BF7B}]}}.
   */
  public static void writeReceipts(Summary summary, Path file) throws IOException {
    Files.write(file, Json.body(receiptsDocument(summary)));
  }

  /** The receipts document of {@link #writeReceipts}. */
  public static ObjectNode receiptsDocument(Summary summary) {
    ObjectNode doc = Json.object().put("format", FORMAT);
    ArrayNode list = doc.putArray("receipts");
    for (Outcome o : summary.outcomes()) {
      if (o.finalised()) {
        list.addObject()
            .put("eid", o.eid().value())
            .put("receipt", Base64.getEncoder().encodeToString(o.receipt()));
      }
    }
    return doc;
  }
}
