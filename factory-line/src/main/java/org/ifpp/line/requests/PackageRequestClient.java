package org.ifpp.line.requests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.line.http.Http;
import org.ifpp.line.http.Json;
import org.ifpp.line.http.Request;
import org.ifpp.line.http.Response;

/**
 * A line's client for binding on request (docs/orders.md): it asks the broker for the packages of
 * some chips, sending their eUICC data (public: certificates and chip-signed keys), and reads the
 * Key Maker's answer, relayed by the broker: the transactionId of each accepted chip's package
 * (then claimed as any package) and the code of each refused chip.
 *
 * <p>Retries: the request carries the line's own {@code requestId}; sending it again (after a
 * timeout, or by a restarted line) gets the same request back, never a second binding.
 */
public final class PackageRequestClient {

  static final String FORMAT = "ifpp-package-request/1";

  private final Http http;
  private final URI base;
  private final String authorization;
  private final String line;

  /**
   * @param base the broker's base URL
   * @param authorization the Authorization header value of the line's credential
   * @param line the line's name (X-Line-Id), or null for a line-bound credential
   */
  public PackageRequestClient(Http http, URI base, String authorization, String line) {
    this.http = http;
    this.base = base;
    this.authorization = authorization;
    this.line = line;
  }

  /** A request: the line's id for it, the order, and each chip's eUICC data (DER, E1) by EID. */
  public record PackageRequest(UUID requestId, String orderId, Map<Eid, byte[]> euiccData) {}

  /**
   * The answer: accepted chips with their package's transactionId, refused chips with a code. An
   * entry the line cannot read (it names no EID) is in {@code unreadable}, with why, and touches no
   * other; an accepted chip whose transactionId is unusable is refused with {@link
   * #INVALID_TRANSACTION_ID}.
   */
  public record Answer(List<Accepted> accepted, List<Refused> refused, List<String> unreadable) {}

  public record Accepted(Eid eid, TransactionId transactionId) {}

  public record Refused(Eid eid, String code, String detail) {}

  /** The code of an accepted chip whose transactionId is not 1 to 16 bytes of hex. */
  public static final String INVALID_TRANSACTION_ID = "invalid-transaction-id";

  /** What the broker says about a request: pending, or answered. */
  public record Status(String requestId, String state, Optional<Answer> answer) {}

  /**
   * Sends the request (again, if it was sent before: the broker answers the same request).
   *
   * @throws RequestRefusedException when the broker refuses it (problem+json code)
   */
  public Status submit(PackageRequest request) {
    ObjectNode body = Json.object();
    body.put("format", FORMAT);
    body.put("requestId", request.requestId().toString());
    body.put("orderId", request.orderId());
    ArrayNode chips = body.putArray("euiccs");
    request
        .euiccData()
        .forEach(
            (eid, der) ->
                chips
                    .addObject()
                    .put("eid", eid.value())
                    .put("data", Base64.getEncoder().encodeToString(der)));
    byte[] bytes = Json.body(body);
    Response response =
        http.send(
            () ->
                authorized(http.request(base.resolve("/api/v1/package-requests")))
                    .header("Content-Type", "application/json")
                    .post(bytes)
                    .build());
    return status(response, "package request");
  }

  /** The request's state and, once the Key Maker answered, the answer. */
  public Status status(UUID requestId) {
    Response response =
        http.send(
            () ->
                authorized(http.request(base.resolve("/api/v1/package-requests/" + requestId)))
                    .get()
                    .build());
    return status(response, "package request status");
  }

  /**
   * Polls until the request is answered.
   *
   * @throws RequestRefusedException when {@code timeout} passes first (code {@code timeout})
   */
  public Answer awaitAnswer(UUID requestId, Duration timeout, Duration poll)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Status s = status(requestId);
      if (s.answer().isPresent()) {
        return s.answer().get();
      }
      if (System.nanoTime() > deadline) {
        throw new RequestRefusedException(0, "timeout", "request " + requestId + " not answered");
      }
      Thread.sleep(poll.toMillis());
    }
  }

  private Request.Builder authorized(Request.Builder b) {
    b.header("Authorization", authorization).header("Accept", "application/json");
    return line == null ? b : b.header("X-Line-Id", line);
  }

  /** The Key Maker's answer, read entry by entry: one the line cannot read touches no other. */
  static Answer answer(JsonNode node) {
    List<Accepted> accepted = new ArrayList<>();
    List<Refused> refused = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    for (JsonNode a : node.path("accepted")) {
      Eid eid = eid(a, unreadable);
      if (eid == null) {
        continue;
      }
      try {
        accepted.add(new Accepted(eid, TransactionId.fromHex(a.path("transactionId").asText())));
      } catch (IllegalArgumentException e) {
        refused.add(
            new Refused(
                eid,
                INVALID_TRANSACTION_ID,
                "accepted with transactionId " + a.path("transactionId") + ": " + e.getMessage()));
      }
    }
    for (JsonNode r : node.path("refused")) {
      Eid eid = eid(r, unreadable);
      if (eid != null) {
        refused.add(new Refused(eid, r.path("code").asText(), r.path("detail").asText()));
      }
    }
    return new Answer(accepted, refused, unreadable);
  }

  private static Eid eid(JsonNode entry, List<String> unreadable) {
    try {
      return new Eid(entry.path("eid").asText(null));
    } catch (IllegalArgumentException e) {
      unreadable.add("entry " + entry + ": " + e.getMessage());
      return null;
    }
  }

  private static Status status(Response response, String what) {
    int s = response.statusCode();
    if (s != 200 && s != 202) {
      throw new RequestRefusedException(s, Json.problemCode(response), what + ": HTTP " + s);
    }
    JsonNode node = Json.parse(response.body());
    Optional<Answer> answer = Optional.empty();
    if ("ANSWERED".equals(node.path("state").asText())) {
      answer = Optional.of(answer(node));
    }
    return new Status(node.path("requestId").asText(), node.path("state").asText(), answer);
  }
}
