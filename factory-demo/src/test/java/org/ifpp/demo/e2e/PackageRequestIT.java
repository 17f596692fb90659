package org.ifpp.demo.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.demo.ProfileCopies;
import org.ifpp.demo.TamperedEuiccData;
import org.ifpp.demo.services.KeyMakerClient;
import org.ifpp.demo.services.SimulatorClient;
import org.ifpp.line.LineCredential;
import org.ifpp.line.broker.BrokerClient;
import org.ifpp.line.broker.Claim;
import org.ifpp.line.broker.ClaimRefusedException;
import org.ifpp.line.chip.ChipClient;
import org.ifpp.line.chip.LoadOutcome;
import org.ifpp.line.http.ApacheHttpTransport;
import org.ifpp.line.http.Http;
import org.ifpp.line.http.Json;
import org.ifpp.line.http.Response;
import org.ifpp.line.http.RetryPolicy;
import org.ifpp.line.requests.PackageRequestClient;
import org.ifpp.line.requests.RequestRefusedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Binding on request end to end (docs/orders.md), through the real broker and Key Maker processes
 * on TLS: a line sends four chips' eUICC data with its request; the Key Maker pulls it, verifies
 * the data as an EUM import (a tampered record is refused), applies the pool's eligibility rules (a
 * chip outside the allowed EIDs is refused), binds the others under the order, and its answer
 * reaches the line through the broker; the line claims and loads the accepted chips' packages.
 * Retries never bind twice; bad input gets its problem+json code.
 */
@Timeout(900)
class PackageRequestIT {

  private static final Path PROFILES =
      Path.of(System.getProperty("ifpp.test-data.dir"), "profiles");
  private static final String POOL = "on-request";

  private static E2eStack stack;
  private static List<String> eids;
  private static Map<String, byte[]> data;
  private static String order;
  private static PackageRequestClient requests;
  private static BrokerClient line;
  private static BrokerClient otherLine;
  private static ChipClient chips;
  private static Http lineHttp;
  private static String authorization;

  @BeforeAll
  static void startStack() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "e2e")).toAbsolutePath();
    stack = new E2eStack(Files.createTempDirectory(dir, "on-request-"), 2);
    RetryPolicy policy =
        new RetryPolicy(3, Duration.ofSeconds(60), Duration.ofMillis(200), Duration.ofSeconds(1));
    Http ops = new Http(stack.opsClient(), policy);
    KeyMakerClient keyMaker = new KeyMakerClient(ops, stack.keyMaker.url(), stack.operatorToken);
    SimulatorClient simulator = new SimulatorClient(ops, stack.simulator.url());
    List<byte[]> profiles = new ArrayList<>();
    ProfileCopies.generate(ProfileCopies.templates(PROFILES), 4, "8949449999", 700_000)
        .forEach(p -> profiles.add(p.der()));
    keyMaker.importProfiles(POOL, profiles);

    eids = new ArrayList<>(simulator.manufacture(4, 2, null));
    eids.sort(null);
    data = simulator.euiccDataByEid(eids);

    String created =
        operator(
            "POST",
            "/api/v1/orders",
            Json.object()
                .put("pool", POOL)
                .put("factory", E2eStack.FACTORY)
                .put("deviceCount", 4)
                .toString());
    order = Json.parse(created).get("orderId").asText();
    var rules = Json.object();
    rules.putArray("eidRanges").addObject().put("first", eids.get(0)).put("last", eids.get(2));
    // Read from the chip-signed EUICCInfo2 the simulated EUM exports with each chip.
    rules.putArray("uiccCapabilities").add("usimSupport").add("akaMilenage");
    operator("PUT", "/api/v1/pools/" + POOL + "/eligibility", rules.toString());

    LineCredential credential = stack.lines.get(0);
    lineHttp =
        new Http(
            new ApacheHttpTransport(
                Duration.ofSeconds(5),
                16,
                Duration.ofSeconds(20),
                stack.lineTls.forLine(credential.name())),
            policy);
    authorization = credential.authorization("bearer");
    requests =
        new PackageRequestClient(lineHttp, stack.broker.url(), authorization, credential.name());
    line = new BrokerClient(lineHttp, stack.broker.url(), authorization, credential.name(), false);
    LineCredential second = stack.lines.get(1);
    otherLine =
        new BrokerClient(
            new Http(
                new ApacheHttpTransport(
                    Duration.ofSeconds(5),
                    16,
                    Duration.ofSeconds(20),
                    stack.lineTls.forLine(second.name())),
                policy),
            stack.broker.url(),
            second.authorization("bearer"),
            second.name(),
            false);
    chips =
        new ChipClient(
            new Http(
                stack.opsClient(),
                new RetryPolicy(1, Duration.ofSeconds(60), Duration.ZERO, Duration.ZERO)),
            stack.simulator.url());
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  /** An operator call to the Key Maker; its body, after asserting a 2xx. */
  private static String operator(String method, String path, String json) throws Exception {
    HttpResponse<String> r =
        HttpClient.newBuilder()
            .sslContext(stack.lineTls.serverOnly())
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(stack.keyMaker.url() + path))
                    .header("Authorization", "Bearer " + stack.operatorToken)
                    .header("Content-Type", "application/json")
                    .method(
                        method,
                        json == null
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(json))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    return r.body();
  }

  /** The chips' eUICC data by EID, as the line's request takes them. */
  private static Map<Eid, byte[]> typed(Map<String, byte[]> byEid) {
    Map<Eid, byte[]> out = new LinkedHashMap<>();
    byEid.forEach((eid, der) -> out.put(new Eid(eid), der));
    return out;
  }

  private static int admitted() throws Exception {
    return Json.parse(operator("GET", "/api/v1/orders/" + order, null)).get("admitted").asInt();
  }

  @Test
  void requestWithATamperedAndAnIneligibleChip_getsPackagesForTheOthers_loadedOnTheLine()
      throws Exception {
    Map<String, byte[]> sent = new LinkedHashMap<>(data);
    sent.put(eids.get(2), TamperedEuiccData.withBrokenKeySignature(sent.get(eids.get(2)), 1));
    UUID id = UUID.randomUUID();
    PackageRequestClient.PackageRequest request =
        new PackageRequestClient.PackageRequest(id, order, typed(sent));

    assertThat(requests.submit(request).state()).isEqualTo("PENDING");
    // The line's retry is the same request; another body under the same id is refused.
    requests.submit(request);
    Map<String, byte[]> fewer = new LinkedHashMap<>(sent);
    fewer.remove(eids.get(3));
    assertThatThrownBy(
            () -> requests.submit(new PackageRequestClient.PackageRequest(id, order, typed(fewer))))
        .isInstanceOfSatisfying(
            RequestRefusedException.class,
            e -> assertThat(e.code()).isEqualTo("package-request-conflict"));

    PackageRequestClient.Answer answer =
        requests.awaitAnswer(id, Duration.ofSeconds(180), Duration.ofMillis(300));

    assertThat(answer.accepted())
        .extracting(a -> a.eid().value())
        .containsExactlyInAnyOrder(eids.get(0), eids.get(1));
    Map<String, PackageRequestClient.Refused> refused = new LinkedHashMap<>();
    answer.refused().forEach(r -> refused.put(r.eid().value(), r));
    assertThat(refused).containsOnlyKeys(eids.get(2), eids.get(3));
    assertThat(refused.get(eids.get(2)).code()).isEqualTo("invalid-euicc-data");
    assertThat(refused.get(eids.get(2)).detail()).contains("ONE_TIME_KEY_BAD_SIGNATURE");
    assertThat(refused.get(eids.get(3)).code()).isEqualTo("ineligible-eid");

    for (PackageRequestClient.Accepted a : answer.accepted()) {
      // The package is for the line that asked.
      assertThatThrownBy(() -> otherLine.claim(a.eid())).isInstanceOf(ClaimRefusedException.class);
      Claim claim = line.claim(a.eid());
      assertThat(claim.transactionId()).isEqualTo(a.transactionId());
      // The Key Maker named the one-time key the package is bound to; the broker relayed it; the
      // chip tries only that key.
      assertThat(claim.bppEuiccOtpk()).hasSize(130).startsWith("04");
      LoadOutcome loaded =
          chips.load(
              a.eid(), line.download(claim), line.bindingCertificate(claim), claim.bppEuiccOtpk());
      assertThat(loaded.installed()).as(loaded.reason()).isTrue();
    }

    // Sent again after the answer: the same answer, nothing bound twice.
    assertThat(requests.submit(request).answer()).contains(answer);
    assertThat(admitted()).isEqualTo(2);
    // A new request for a chip already bound under the order is refused for that chip.
    UUID again = UUID.randomUUID();
    requests.submit(
        new PackageRequestClient.PackageRequest(
            again, order, typed(Map.of(eids.get(0), data.get(eids.get(0))))));
    PackageRequestClient.Answer second =
        requests.awaitAnswer(again, Duration.ofSeconds(120), Duration.ofMillis(300));
    assertThat(second.accepted()).isEmpty();
    assertThat(second.refused())
        .singleElement()
        .satisfies(r -> assertThat(r.code()).isEqualTo("device-already-in-order"));
    assertThat(admitted()).isEqualTo(2);
  }

  @Test
  void badRequests_getTheirProblemCodes() {
    String[][] cases = {
      {
        "{\"format\":\"ifpp-package-request/1\",\"requestId\":\"x\",\"orderId\":\""
            + order
            + "\",\"euiccs\":[{\"eid\":\""
            + eids.get(0)
            + "\",\"data\":\"AA==\"}]}",
        "invalid-package-request"
      },
      {
        "{\"format\":\"ifpp-package-request/1\",\"requestId\":\""
            + UUID.randomUUID()
            + "\",\"orderId\":\""
            + order
            + "\",\"euiccs\":[]}",
        "invalid-package-request"
      },
      {
        "{\"format\":\"ifpp-package-request/1\",\"requestId\":\""
            + UUID.randomUUID()
            + "\",\"orderId\":\""
            + order
            + "\",\"euiccs\":[{\"eid\":\"1234\",\"data\":\"AA==\"}]}",
        "invalid-eid"
      },
      {
        "{\"format\":\"ifpp-package-request/1\",\"requestId\":\""
            + UUID.randomUUID()
            + "\",\"orderId\":\""
            + order
            + "\",\"euiccs\":[{\"eid\":\""
            + eids.get(0)
            + "\",\"data\":\"%%%\"}]}",
        "malformed-base64"
      },
    };
    for (String[] c : cases) {
      Response r =
          lineHttp.send(
              () ->
                  lineHttp
                      .request(stack.broker.url().resolve("/api/v1/package-requests"))
                      .header("Authorization", authorization)
                      .header("X-Line-Id", stack.lines.get(0).name())
                      .header("Content-Type", "application/json")
                      .post(c[0].getBytes(java.nio.charset.StandardCharsets.UTF_8))
                      .build());
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(Json.problemCode(r)).as(c[0]).isEqualTo(c[1]);
    }
    assertThatThrownBy(() -> requests.status(UUID.randomUUID()))
        .isInstanceOfSatisfying(
            RequestRefusedException.class,
            e -> assertThat(e.code()).isEqualTo("package-request-not-found"));
  }
}
