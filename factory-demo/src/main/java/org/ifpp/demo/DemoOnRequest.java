package org.ifpp.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.demo.services.KeyMakerClient;
import org.ifpp.demo.services.SimulatorClient;
import org.ifpp.line.broker.BrokerClient;
import org.ifpp.line.broker.Claim;
import org.ifpp.line.chip.ChipTransport;
import org.ifpp.line.chip.LoadOutcome;
import org.ifpp.line.requests.PackageRequestClient;

/**
 * Binding on request in the demo (ESBPP02, docs/orders.md): four extra chips the EUM made but the
 * Key Maker never imported reach a line, which asks the broker for their packages under a new
 * order, sending the chips' eUICC data. Expected: a package each for the two chips of the order
 * with genuine data (claimed by that line, loaded with the one-time key the claim names, the chip's
 * signed result reported); refused with its reason, the chip the order does not list ({@code
 * eid-not-in-order}) and the chip whose data was tampered with ({@code invalid-euicc-data}, a
 * one-time key's eUICC signature broken). Anything else fails the demo.
 */
final class DemoOnRequest {

  /** What the step did: chips installed, and the refusal code of each refused chip. */
  record Outcome(int installed, Map<String, String> refused, String orderId) {}

  private DemoOnRequest() {}

  static Outcome run(
      KeyMakerClient keyMaker,
      SimulatorClient simulator,
      List<byte[]> templates,
      String pool,
      String factory,
      long firstIccid,
      BrokerClient line,
      ChipTransport chips)
      throws InterruptedException {
    List<byte[]> profiles = new ArrayList<>();
    ProfileCopies.generate(templates, 3, "8949449999", firstIccid)
        .forEach(p -> profiles.add(p.der()));
    keyMaker.importProfiles(pool, profiles);
    List<String> eids = new ArrayList<>(simulator.manufacture(4, 2, null));
    Map<String, byte[]> data = simulator.euiccDataByEid(eids);
    String genuine1 = eids.get(0);
    String genuine2 = eids.get(1);
    String tampered = eids.get(2);
    String outside = eids.get(3);
    String orderId = keyMaker.createOrder(pool, factory, List.of(genuine1, genuine2, tampered));
    data.put(tampered, TamperedEuiccData.withBrokenKeySignature(data.get(tampered), 0));

    PackageRequestClient requests = line.packageRequests();
    UUID id = UUID.randomUUID();
    Map<Eid, byte[]> byEid = new LinkedHashMap<>();
    data.forEach((eid, der) -> byEid.put(new Eid(eid), der));
    requests.submit(new PackageRequestClient.PackageRequest(id, orderId, byEid));
    PackageRequestClient.Answer answer =
        requests.awaitAnswer(id, Duration.ofMinutes(3), Duration.ofMillis(200));

    Map<String, String> refused = new TreeMap<>();
    answer.refused().forEach(r -> refused.put(r.eid().value(), r.code()));
    int installed = 0;
    for (PackageRequestClient.Accepted a : answer.accepted()) {
      BrokerClient.ClaimedPackage claimed = line.claimWithPackage(a.eid());
      Claim claim = claimed.claim();
      if (claim.bppEuiccOtpk() == null) {
        throw new IllegalStateException("the claim of " + a.eid() + " names no one-time key");
      }
      LoadOutcome loaded =
          chips.load(
              a.eid(),
              claimed.boundPackage(),
              line.bindingCertificate(claim),
              claim.bppEuiccOtpk());
      if (!loaded.installed()) {
        throw new IllegalStateException(
            "package bound on request not installed in " + a.eid() + ": " + loaded.reason());
      }
      line.report(claim, true, loaded.pir());
      installed++;
    }
    Map<String, String> expected =
        new TreeMap<>(Map.of(tampered, "invalid-euicc-data", outside, "eid-not-in-order"));
    if (installed != 2 || !refused.equals(expected)) {
      throw new IllegalStateException(
          "binding on request: "
              + installed
              + " installed, refused "
              + refused
              + "; expected 2 and "
              + expected);
    }
    return new Outcome(installed, refused, orderId);
  }
}
