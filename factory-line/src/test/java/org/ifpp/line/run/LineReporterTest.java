package org.ifpp.line.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.line.broker.BrokerClient;
import org.ifpp.line.broker.Claim;
import org.ifpp.line.http.FakeServer;
import org.ifpp.line.http.Http;
import org.ifpp.line.http.Json;
import org.ifpp.line.http.RetryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A line's reporter against a fake broker: when groups go, and what each chip's answer means. */
class LineReporterTest {

  private final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final LinkedBlockingQueue<DeviceResult> emitted = new LinkedBlockingQueue<>();
  private volatile String refused = "";
  private volatile boolean refuseAll;
  private FakeServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  private BrokerClient broker() {
    server =
        new FakeServer(
            (ex, r) -> {
              if (!r.path().equals("/api/v1/reports") || !r.method().equals("POST")) {
                FakeServer.json(ex, 404, "{\"code\":\"no-route\"}");
                return;
              }
              if (refuseAll) {
                FakeServer.json(ex, 400, "{\"code\":\"bad-request\"}");
                return;
              }
              if (failuresLeft.getAndDecrement() > 0) {
                FakeServer.json(ex, 503, "{}");
                return;
              }
              var items = Json.parse(r.body()).get("results");
              List<String> txs = new ArrayList<>();
              StringBuilder answer = new StringBuilder("{\"results\":[");
              for (int i = 0; i < items.size(); i++) {
                String tx = items.get(i).get("transactionId").asText();
                txs.add(tx);
                answer.append(i == 0 ? "" : ",");
                answer.append(
                    tx.equals(refused)
                        ? "{\"transactionId\":\"" + tx + "\",\"status\":409,\"code\":\"x-refused\"}"
                        : "{\"transactionId\":\"" + tx + "\",\"status\":200}");
              }
              calls.add(txs);
              FakeServer.json(ex, 200, answer.append("]}").toString());
            });
    Http http =
        new Http(
            Http.newClient(Duration.ofSeconds(2)),
            new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofMillis(1), Duration.ofMillis(2)));
    return new BrokerClient(http, server.uri(), "Bearer t", "L1", false);
  }

  private LineReporter reporter(int size, Duration linger) {
    return new LineReporter(
        "L1", broker(), new ProductionRun.ReportBatching(size, linger), emitted::add);
  }

  private static Eid eid(int i) {
    return Eid.withCheckDigits(String.format("890490321234512345%012d", i));
  }

  private static LineReporter.Queued chip(int i, boolean installed) {
    String tx = String.format("%04X", i);
    return new LineReporter.Queued(
        eid(i),
        new Claim(TransactionId.fromHex(tx), eid(i), "b1", null, null, null),
        installed,
        new byte[] {(byte) i},
        installed ? null : "invalidSignature",
        1,
        2,
        3,
        System.nanoTime());
  }

  private List<DeviceResult> take(int n) throws InterruptedException {
    List<DeviceResult> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      DeviceResult r = emitted.poll(5, TimeUnit.SECONDS);
      assertThat(r).as("result %d of %d", i + 1, n).isNotNull();
      out.add(r);
    }
    return out;
  }

  @Test
  void aFullGroup_goesAtOnce_andTheRestAtTheEnd() throws Exception {
    LineReporter reporter = reporter(3, Duration.ofSeconds(60));
    for (int i = 0; i < 4; i++) {
      reporter.submit(chip(i, true));
    }
    List<DeviceResult> first = take(3);
    assertThat(first).extracting(DeviceResult::eid).containsExactly(eid(0), eid(1), eid(2));
    assertThat(first).allMatch(r -> r.outcome() == DeviceResult.Outcome.INSTALLED);
    // The fourth waits for its group (the linger is a minute) ...
    assertThat(emitted.poll(200, TimeUnit.MILLISECONDS)).isNull();
    assertThat(calls).hasSize(1);
    // ... until the end of the run flushes it.
    reporter.close();
    assertThat(take(1).get(0).eid()).isEqualTo(eid(3));
    assertThat(calls).containsExactly(List.of("0000", "0001", "0002"), List.of("0003"));
  }

  @Test
  void aPartialGroup_goesWhenItsOldestResultHasWaitedTheLinger() throws Exception {
    LineReporter reporter = reporter(32, Duration.ofMillis(100));
    long start = System.nanoTime();
    reporter.submit(chip(1, true));
    reporter.submit(chip(2, false));
    List<DeviceResult> got = take(2);
    long waited = System.nanoTime() - start;
    assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
    assertThat(calls).containsExactly(List.of("0001", "0002"));
    assertThat(got.get(1).outcome()).isEqualTo(DeviceResult.Outcome.REJECTED);
    assertThat(got.get(1).detail()).isEqualTo("invalidSignature");
    // Its report time is the wait in the queue plus the call; the other steps are the station's.
    assertThat(got.get(0).reportNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
    assertThat(got.get(0).claimNanos()).isEqualTo(1);
    assertThat(got.get(0).installNanos()).isEqualTo(3);
    reporter.close();
    assertThat(calls).hasSize(1);
  }

  @Test
  void aGroupWithoutAnswer_isSentAgainAfterAWait_untilTheBrokerAnswers() throws Exception {
    failuresLeft.set(4); // both attempts of two calls: the line waits twice
    LineReporter reporter = reporter(2, Duration.ofSeconds(60));
    reporter.submit(chip(1, true));
    reporter.submit(chip(2, true));
    List<DeviceResult> got = take(2);
    reporter.close();
    assertThat(got).allMatch(r -> r.outcome() == DeviceResult.Outcome.INSTALLED);
    assertThat(calls).containsExactly(List.of("0001", "0002"));
  }

  @Test
  void aGroupRefusedAsAWhole_keepsEachResultForTheSecondPass() throws Exception {
    refuseAll = true;
    LineReporter reporter = reporter(2, Duration.ofSeconds(60));
    reporter.submit(chip(1, true));
    reporter.submit(chip(2, true));
    List<DeviceResult> got = take(2);
    reporter.close();
    assertThat(got).allMatch(r -> r.outcome() == DeviceResult.Outcome.ERROR);
    assertThat(got).allMatch(r -> "report:bad-request".equals(r.detail()));
    assertThat(got)
        .allSatisfy(
            r -> {
              assertThat(r.recovery()).isInstanceOf(DeviceResult.Recovery.Report.class);
              var kept = (DeviceResult.Recovery.Report) r.recovery();
              assertThat(kept.claim().eid()).isEqualTo(r.eid());
              assertThat(kept.installed()).isTrue();
            });
    assertThat(calls).isEmpty();
  }

  @Test
  void aRefusedResult_isThatChipsOutcomeOnly() throws Exception {
    refused = "0002";
    LineReporter reporter = reporter(3, Duration.ofSeconds(60));
    for (int i = 1; i <= 3; i++) {
      reporter.submit(chip(i, true));
    }
    List<DeviceResult> got = take(3);
    reporter.close();
    assertThat(got)
        .extracting(DeviceResult::outcome)
        .containsExactly(
            DeviceResult.Outcome.INSTALLED,
            DeviceResult.Outcome.ERROR,
            DeviceResult.Outcome.INSTALLED);
    assertThat(got.get(1).detail()).isEqualTo("report:x-refused");
    assertThat(got.get(1).recoverable()).isFalse();
  }

  @Test
  void closingAnIdleReporter_returnsAtOnce() throws Exception {
    LineReporter reporter = reporter(8, Duration.ofSeconds(60));
    long start = System.nanoTime();
    reporter.close();
    assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(2).toNanos());
    assertThat(calls).isEmpty();
    assertThat(emitted).isEmpty();
  }
}
