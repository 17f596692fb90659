package org.ifpp.broker.packagerequests;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.ifpp.broker.auth.ApiClient;
import org.ifpp.broker.auth.Scope;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.broker.web.ExportCursor;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.web.DomainException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Binding on request (docs/orders.md): a line (scope {@code claim}) asks for the packages of some
 * chips with their eUICC data and reads the answer; the Key Maker pulls the requests (scope {@code
 * export}) and posts each answer (scope {@code upload}). The broker checks shapes only: the Key
 * Maker verifies the eUICC data (DPFF10) and decides. A request is stored once per request id: a
 * line's retry with the same body gets the same request, another body under that id is refused.
 */
@RestController
@RequestMapping(path = "/api/v1/package-requests", produces = "application/json")
@Tag(name = "package requests")
class PackageRequestController {

  static final int MAX_CHIPS = 1000;
  static final int MAX_DATA_BYTES = 64 * 1024;
  private static final Pattern CODE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  private static final Pattern TX = Pattern.compile("[0-9A-Fa-f]{32}");

  private final PackageRequestRepository requests;
  private final JsonMapper json = JsonMapper.builder().build();

  PackageRequestController(PackageRequestRepository requests) {
    this.requests = requests;
  }

  /** A request as its line reads it: PENDING until the Key Maker answered, then ANSWERED. */
  record Status(
      String requestId,
      String orderId,
      String state,
      List<PackageAnswerBody.Accepted> accepted,
      List<PackageAnswerBody.Refused> refused) {}

  record Exported(
      String requestId,
      String orderId,
      String factory,
      String line,
      Instant receivedAt,
      List<PackageRequestBody.Chip> euiccs) {}

  record ExportPage(List<Exported> requests, String nextCursor, boolean hasMore) {}

  @PostMapping(consumes = "application/json")
  @Operation(
      summary = "Ask for the packages of some chips, with their eUICC data",
      description =
          "202 stored (200 when the same request was stored before); 400 invalid-package-request"
              + " / invalid-eid / malformed-base64, 409 package-request-conflict")
  @Transactional
  ResponseEntity<Status> submit(
      @Parameter(hidden = true) ApiClient client, @RequestBody PackageRequestBody body) {
    client.require(Scope.CLAIM);
    UUID[] ids = check(body);
    byte[] fingerprint = sha256(json.writeValueAsBytes(body));
    boolean stored =
        requests.insert(
            ids[0],
            ids[1],
            client.factory(),
            client.line(),
            body.euiccs().size(),
            fingerprint,
            json.writeValueAsString(body));
    PackageRequestRepository.Row row = requests.find(ids[0]).orElseThrow();
    if (!stored
        && (!MessageDigest.isEqual(row.fingerprint(), fingerprint)
            || !Objects.equals(row.factory(), client.factory())
            || !Objects.equals(row.line(), client.line()))) {
      throw new DomainException(
          BrokerError.PACKAGE_REQUEST_CONFLICT,
          "request " + ids[0] + " was stored with another body: use a new requestId");
    }
    return ResponseEntity.status(stored ? HttpStatus.ACCEPTED : HttpStatus.OK).body(status(row));
  }

  @GetMapping("/{requestId}")
  @Operation(summary = "A request of this line and its answer (404 package-request-not-found)")
  Status get(@Parameter(hidden = true) ApiClient client, @PathVariable String requestId) {
    client.require(Scope.CLAIM);
    PackageRequestRepository.Row row =
        uuid(requestId)
            .flatMap(requests::find)
            .filter(r -> r.factory().equals(client.factory()))
            .filter(r -> r.line() == null || r.line().equals(client.line()))
            .orElseThrow(
                () ->
                    new DomainException(
                        BrokerError.PACKAGE_REQUEST_NOT_FOUND, "no request " + requestId));
    return status(row);
  }

  @GetMapping
  @Operation(summary = "Package requests after a cursor (start without 'after'), each once")
  ExportPage export(
      @Parameter(hidden = true) ApiClient client,
      @RequestParam(required = false) String after,
      @RequestParam(defaultValue = "10") int limit) {
    client.require(Scope.EXPORT);
    ExportCursor.checkLimit(limit, 100);
    ExportCursor from = ExportCursor.after(after);
    List<PackageRequestRepository.Row> rows = requests.after(from.xid(), from.position(), limit);
    String next =
        from.next(rows, PackageRequestRepository.Row::xid, PackageRequestRepository.Row::id);
    return new ExportPage(
        rows.stream()
            .map(
                r ->
                    new Exported(
                        r.requestId().toString(),
                        r.orderId().toString(),
                        r.factory(),
                        r.line(),
                        r.receivedAt(),
                        json.readValue(r.body(), PackageRequestBody.class).euiccs()))
            .toList(),
        next,
        rows.size() == limit);
  }

  @PostMapping(path = "/{requestId}/answer", consumes = "application/json")
  @Operation(
      summary = "The Key Maker's answer: each chip of the request accepted or refused, once",
      description =
          "400 invalid-package-answer, 404 package-request-not-found, 409 package-request-answered"
              + " (another answer was stored; the same answer again is 200)")
  @Transactional
  Status answer(
      @Parameter(hidden = true) ApiClient client,
      @PathVariable String requestId,
      @RequestBody PackageAnswerBody answer) {
    client.require(Scope.UPLOAD);
    PackageRequestRepository.Row row =
        uuid(requestId)
            .flatMap(requests::find)
            .orElseThrow(
                () ->
                    new DomainException(
                        BrokerError.PACKAGE_REQUEST_NOT_FOUND, "no request " + requestId));
    PackageRequestBody request = json.readValue(row.body(), PackageRequestBody.class);
    checkAnswer(request, answer);
    String text = json.writeValueAsString(answer);
    if (!requests.answer(row.requestId(), text)
        && !json.readTree(row.answer()).equals(json.readTree(text))) {
      throw new DomainException(
          BrokerError.PACKAGE_REQUEST_ANSWERED, "request " + requestId + " has another answer");
    }
    return status(requests.find(row.requestId()).orElseThrow());
  }

  private Status status(PackageRequestRepository.Row row) {
    if (row.answer() == null) {
      return new Status(
          row.requestId().toString(), row.orderId().toString(), "PENDING", null, null);
    }
    PackageAnswerBody a = json.readValue(row.answer(), PackageAnswerBody.class);
    return new Status(
        row.requestId().toString(),
        row.orderId().toString(),
        "ANSWERED",
        a.accepted(),
        a.refused());
  }

  private static java.util.Optional<UUID> uuid(String text) {
    try {
      return text != null && text.length() == 36
          ? java.util.Optional.of(UUID.fromString(text))
          : java.util.Optional.empty();
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }

  /** The request's shape; its [requestId, orderId]. */
  private static UUID[] check(PackageRequestBody body) {
    if (body == null || !PackageRequestBody.FORMAT.equals(body.format())) {
      throw invalid("format must be " + PackageRequestBody.FORMAT);
    }
    UUID request = uuid(body.requestId()).orElseThrow(() -> invalid("requestId: a UUID"));
    UUID order = uuid(body.orderId()).orElseThrow(() -> invalid("orderId: the order's UUID"));
    if (body.euiccs() == null || body.euiccs().isEmpty() || body.euiccs().size() > MAX_CHIPS) {
      throw invalid("euiccs: 1 to " + MAX_CHIPS + " chips");
    }
    Set<String> seen = new HashSet<>();
    for (PackageRequestBody.Chip c : body.euiccs()) {
      String eid = eid(c == null ? null : c.eid());
      if (!seen.add(eid)) {
        throw invalid("EID " + eid + " twice");
      }
      byte[] data;
      try {
        data = Base64.getDecoder().decode(c.data() == null ? "" : c.data());
      } catch (IllegalArgumentException e) {
        throw new DomainException(BrokerError.MALFORMED_BASE64, "EID " + eid + ": data");
      }
      if (data.length == 0 || data.length > MAX_DATA_BYTES) {
        throw invalid("EID " + eid + ": data is 1 to " + MAX_DATA_BYTES + " bytes");
      }
    }
    return new UUID[] {request, order};
  }

  private static void checkAnswer(PackageRequestBody request, PackageAnswerBody answer) {
    if (answer == null) {
      throw badAnswer("empty answer");
    }
    Set<String> asked = new HashSet<>();
    request.euiccs().forEach(c -> asked.add(c.eid()));
    Set<String> answered = new HashSet<>();
    for (PackageAnswerBody.Accepted a : nullSafe(answer.accepted())) {
      if (a == null || a.transactionId() == null || !TX.matcher(a.transactionId()).matches()) {
        throw badAnswer("accepted: each with a 16-byte transactionId in hex");
      }
      once(a.eid(), asked, answered);
    }
    for (PackageAnswerBody.Refused r : nullSafe(answer.refused())) {
      if (r == null
          || r.code() == null
          || !CODE.matcher(r.code()).matches()
          || (r.detail() != null && r.detail().length() > 500)) {
        throw badAnswer("refused: each with a kebab-case code and a detail of at most 500");
      }
      once(r.eid(), asked, answered);
    }
    if (!answered.equals(asked)) {
      throw badAnswer("every chip of the request, accepted or refused, exactly once");
    }
  }

  private static void once(String eid, Set<String> asked, Set<String> answered) {
    if (eid == null || !asked.contains(eid) || !answered.add(eid)) {
      throw badAnswer("EID " + eid + ": not in the request, or answered twice");
    }
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static String eid(String text) {
    try {
      return Eid.of(text).value();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new DomainException(BrokerError.INVALID_EID, "invalid EID " + text);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static DomainException invalid(String detail) {
    return new DomainException(BrokerError.INVALID_PACKAGE_REQUEST, detail);
  }

  private static DomainException badAnswer(String detail) {
    return new DomainException(BrokerError.INVALID_PACKAGE_ANSWER, detail);
  }
}
