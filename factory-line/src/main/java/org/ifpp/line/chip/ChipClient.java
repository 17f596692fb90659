package org.ifpp.line.chip;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.line.http.Http;
import org.ifpp.line.http.Json;
import org.ifpp.line.http.Response;

/**
 * The line's programming station: pushes a bound package into the chip with the given EID (the
 * eUICC simulator's load endpoint stands in for the ES10 channel to a real chip) and returns the
 * chip's signed result.
 *
 * <p>A load is not retried by the station when its outcome is unknown: the chip may already have
 * consumed its one-time key (IFPP.md section 6, step 6), so a blind re-push could only fail. The
 * line releases the claim instead and the Key Maker's reconciliation sees the binding unreported.
 *
 * <p>All paths and field names of the simulator's contract are in this class and nowhere else.
 */
public final class ChipClient implements ChipTransport {

  private final Http http;
  private final URI base;

  public ChipClient(Http http, URI base) {
    this.http = http;
    this.base = base;
  }

  /**
   * Loads {@code boundPackage} into chip {@code eid}, sent raw; the Key Maker's binding certificate
   * goes with it in {@code X-Binding-Certificate} (the chip checks its chain, IFPP.md section 6
   * step 2), and the key id, when given, in {@code X-Bpp-Euicc-Otpk}. Every answer from a chip is a
   * 200 with its signed result, installed or not; a 409 {@code one-time-key-spent} or {@code
   * one-time-key-unknown} is the chip telling before loading that it does not hold the named key
   * (an outcome without signed result); another 4xx means the input never reached the chip's checks
   * (unknown EID, garbage).
   */
  @Override
  public LoadOutcome load(
      Eid eid, byte[] boundPackage, byte[] bindingCertificate, String bppEuiccOtpk) {
    Response response =
        http.send(
            () -> {
              var b =
                  http.request(base.resolve("/api/v1/chips/" + eid.value() + "/loads"))
                      .header("Content-Type", "application/octet-stream")
                      .header("Accept", "application/octet-stream");
              if (bindingCertificate != null) {
                b.header(
                    "X-Binding-Certificate",
                    Base64.getEncoder().encodeToString(bindingCertificate));
              }
              if (bppEuiccOtpk != null) {
                b.header("X-Bpp-Euicc-Otpk", bppEuiccOtpk);
              }
              return b.post(boundPackage).build();
            });
    if (response.statusCode() == 409) {
      String code = Json.problemCode(response);
      if (ONE_TIME_KEY_SPENT.equals(code) || ONE_TIME_KEY_UNKNOWN.equals(code)) {
        return new LoadOutcome(false, code, null, new byte[0]);
      }
    }
    if (response.statusCode() != 200) {
      throw Json.failure("load into " + eid, response);
    }
    // The raw answer: the signed result is the body, the summary is in headers (no JSON either
    // side, no base64 of the result).
    return new LoadOutcome(
        "installed".equals(response.header("X-Ifpp-Result").orElse("")),
        response.header("X-Ifpp-Error-Reason").orElse(null),
        response.header("X-Ifpp-Iccid").map(ChipClient::iccid).orElse(null),
        response.body());
  }

  /**
   * Gives chip {@code eid} the device maker's signed finalisation command (BF7A): {@code POST
   * /api/v1/chips/{eid}/finalise-production} with {@code {"command": base64}}; sent once (a second
   * send of the same command is a replay the chip refuses).
   *
   * @return the chip's signed receipt (BF7B)
   * @throws org.ifpp.line.http.HttpCallException when the chip refuses, with its code (for example
   *     {@code finalisation-replayed}, {@code finalisation-signature-invalid})
   */
  public byte[] finalise(Eid eid, byte[] signedCommand) {
    byte[] body =
        Json.body(Json.object().put("command", Base64.getEncoder().encodeToString(signedCommand)));
    Response response =
        http.send(
            () ->
                http.request(base.resolve("/api/v1/chips/" + eid.value() + "/finalise-production"))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .post(body)
                    .build());
    if (response.statusCode() != 200) {
      throw Json.failure("finalising " + eid, response);
    }
    return Base64.getDecoder().decode(Json.parse(response.body()).path("receipt").asText(""));
  }

  /**
   * The chip's pending notifications (SGP.22 RetrieveNotificationsList): {@code GET
   * /api/v1/chips/{eid}/notifications}. A read, retried like any.
   */
  @Override
  public List<Notification> notifications(Eid eid) {
    Response response =
        http.send(
            () ->
                http.request(base.resolve("/api/v1/chips/" + eid.value() + "/notifications"))
                    .header("Accept", "application/json")
                    .get()
                    .build());
    if (response.statusCode() != 200) {
      throw Json.failure("notifications of " + eid, response);
    }
    JsonNode list = Json.parse(response.body()).path("notifications");
    List<Notification> out = new ArrayList<>();
    for (JsonNode n : list) {
      String pir = n.path("profileInstallationResult").asText("");
      TransactionId tx = transactionId(n.path("transactionId").asText(""));
      if (pir.isEmpty() || tx == null) {
        continue; // not an installation result the line can match to a package
      }
      out.add(
          new Notification(
              n.path("seqNumber").asLong(),
              tx,
              n.hasNonNull("iccid") ? iccid(n.get("iccid").asText()) : null,
              "installed".equals(n.path("outcome").asText()),
              Base64.getDecoder().decode(pir)));
    }
    return out;
  }

  /** The chip's ICCID summary, or null when it is not one (the signed result is what counts). */
  private static Iccid iccid(String text) {
    try {
      return Iccid.of(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static TransactionId transactionId(String hex) {
    try {
      return TransactionId.fromHex(hex);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Removes a notification from the chip once its result reached the broker (SGP.22
   * RemoveNotificationFromList): {@code DELETE /api/v1/chips/{eid}/notifications/{seq}}, 204; a
   * notification already gone (404) counts as removed.
   */
  @Override
  public void removeNotification(Eid eid, long seqNumber) {
    Response response =
        http.send(
            () ->
                http.request(
                        base.resolve(
                            "/api/v1/chips/" + eid.value() + "/notifications/" + seqNumber))
                    .delete()
                    .build());
    int status = response.statusCode();
    if (status != 204 && status != 200 && status != 404) {
      throw Json.failure("removing notification " + seqNumber + " of " + eid, response);
    }
  }

  /**
   * Brings chip {@code eid} to the station's reader: the simulator puts it into the vpcd reader on
   * {@code port} ({@code PUT /api/v1/readers/{port}}), taking out the chip that was there.
   */
  public void insertIntoReader(int port, Eid eid) {
    Response response =
        http.send(
            () ->
                http.request(base.resolve("/api/v1/readers/" + port))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .put(
                        ("{\"eid\":\"" + eid.value() + "\"}")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .build());
    if (response.statusCode() != 200) {
      throw Json.failure("inserting " + eid + " into reader " + port, response);
    }
  }

  /** Takes the chip out of the reader on {@code port} ({@code DELETE}); none there is fine. */
  public void removeFromReader(int port) {
    Response response =
        http.send(() -> http.request(base.resolve("/api/v1/readers/" + port)).delete().build());
    int status = response.statusCode();
    if (status != 204 && status != 404) {
      throw Json.failure("emptying reader " + port, response);
    }
  }
}
