package org.ifpp.web.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.ifpp.crypto.provider.AccpSupport;
import org.ifpp.web.DomainException;
import org.ifpp.web.WebError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code Idempotency-Key} for POSTs (draft-ietf-httpapi-idempotency-key-header), the one
 * implementation of the services. The first successful answer for a (principal, key) is stored in
 * the same transaction as the operation itself, so either both exist or neither (a crash cannot
 * leave a key without its effect). The same key with the same request replays that answer; with a
 * different request it is 422 {@code idempotency-key-reused}. A concurrent duplicate waits on the
 * key's row lock and then replays. Only successes are stored: an operation that fails (any 4xx or
 * 5xx refusal) stores nothing, so the corrected request can be sent again with the same key.
 *
 * <p>Table {@code idempotency_record} (client_name, idempotency_key, operation, request_hash,
 * response_status, response_body, created_at), created by each service's migrations.
 */
public class IdempotencyService {

  /** The request header. */
  public static final String HEADER = "Idempotency-Key";

  /** Marks a response that is a replay of a stored answer. */
  public static final String REPLAYED_HEADER = "Idempotent-Replayed";

  private static final Logger log = LoggerFactory.getLogger(IdempotencyService.class);
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,200}");

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final JsonMapper json;
  private final Clock clock;
  private final Duration retention;

  public IdempotencyService(
      JdbcTemplate jdbc, TransactionTemplate tx, JsonMapper json, Clock clock, Duration retention) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.json = json;
    this.clock = clock;
    this.retention = retention;
  }

  /**
   * The answer of an operation and whether it is a replay.
   *
   * @param body the answer
   * @param replayed true when the answer was stored by an earlier request with the same key
   */
  public record Outcome<T>(T body, boolean replayed) {

    /** A response with this body and status, marked {@code Idempotent-Replayed} on a replay. */
    public ResponseEntity<T> respond(HttpStatusCode status) {
      ResponseEntity.BodyBuilder builder = ResponseEntity.status(status);
      if (replayed) {
        builder.header(REPLAYED_HEADER, "true");
      }
      return builder.body(body);
    }
  }

  /**
   * Runs {@code action} in one transaction, at most once per (principal, key).
   *
   * @param principal who calls (keys of different callers never meet)
   * @param key the Idempotency-Key header, or null to run without replay protection
   * @param operation a name for the operation (part of the request fingerprint)
   * @param request the parsed request, fingerprinted by its fields if {@link Fingerprinted}, else
   *     through its JSON form
   */
  public <T> Outcome<T> execute(
      String principal,
      String key,
      String operation,
      Object request,
      Class<T> type,
      Supplier<T> action) {
    if (key == null) {
      return new Outcome<>(tx.execute(s -> action.get()), false);
    }
    byte[] hash = fingerprint(key, operation, request);
    return tx.execute(
        status -> {
          Outcome<T> replay = reserve(principal, key, operation, hash, type);
          if (replay != null) {
            return replay;
          }
          T body = action.get();
          store(principal, key, body);
          return new Outcome<>(body, false);
        });
  }

  /**
   * Like {@link #execute}, for an operation that runs its own transactions (one per item, each
   * allowed to fail on its own): the key is reserved in one transaction, the operation runs, its
   * answer is stored in another. A failed operation frees the key; a crash in between leaves the
   * key reserved (409 {@code idempotency-key-in-use}) until the record expires.
   */
  public <T> Outcome<T> executeInOwnTransactions(
      String principal,
      String key,
      String operation,
      Object request,
      Class<T> type,
      Supplier<T> action) {
    if (key == null) {
      return new Outcome<>(action.get(), false);
    }
    byte[] hash = fingerprint(key, operation, request);
    Outcome<T> replay = tx.execute(s -> reserve(principal, key, operation, hash, type));
    if (replay != null) {
      return replay;
    }
    T body;
    try {
      body = action.get();
    } catch (RuntimeException e) {
      jdbc.update(
          "DELETE FROM idempotency_record WHERE client_name = ? AND idempotency_key = ?",
          principal,
          key);
      throw e;
    }
    tx.executeWithoutResult(s -> store(principal, key, body));
    return new Outcome<>(body, false);
  }

  private byte[] fingerprint(String key, String operation, Object request) {
    if (!KEY.matcher(key).matches()) {
      throw new DomainException(
          WebError.MALFORMED_IDEMPOTENCY_KEY, "Idempotency-Key: 1-200 printable ASCII characters");
    }
    return fingerprint(operation, request);
  }

  /** The stored answer to replay, or null once this request holds the key. */
  private <T> Outcome<T> reserve(
      String principal, String key, String operation, byte[] hash, Class<T> type) {
    Outcome<T> replay = replay(principal, key, hash, type);
    if (replay != null) {
      return replay;
    }
    // Blocks while a concurrent request holds the same key; inserts nothing if it committed.
    int inserted =
        jdbc.update(
            "INSERT INTO idempotency_record"
                + " (client_name, idempotency_key, operation, request_hash, created_at)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            principal,
            key,
            operation,
            hash,
            Timestamp.from(clock.instant()));
    if (inserted == 0) {
      replay = replay(principal, key, hash, type);
      if (replay != null) {
        return replay;
      }
      throw new DomainException(
          WebError.IDEMPOTENCY_KEY_IN_USE, "a request with this Idempotency-Key is in progress");
    }
    return null;
  }

  private void store(String principal, String key, Object body) {
    jdbc.update(
        "UPDATE idempotency_record SET response_status = 200, response_body = ?"
            + " WHERE client_name = ? AND idempotency_key = ?",
        json.writeValueAsBytes(body),
        principal,
        key);
  }

  private record Stored(byte[] hash, byte[] body) {}

  private <T> Outcome<T> replay(String principal, String key, byte[] hash, Class<T> type) {
    List<Stored> rows =
        jdbc.query(
            "SELECT request_hash, response_body FROM idempotency_record"
                + " WHERE client_name = ? AND idempotency_key = ?",
            (rs, i) -> new Stored(rs.getBytes(1), rs.getBytes(2)),
            principal,
            key);
    if (rows.isEmpty()) {
      return null;
    }
    Stored stored = rows.get(0);
    if (!MessageDigest.isEqual(stored.hash(), hash)) {
      throw new DomainException(
          WebError.IDEMPOTENCY_KEY_REUSED,
          "this Idempotency-Key was used with a different request");
    }
    if (stored.body() == null) {
      return null;
    }
    return new Outcome<>(json.readValue(stored.body(), type), true);
  }

  private byte[] fingerprint(String operation, Object request) {
    if (request instanceof Fingerprinted fields) {
      return Fingerprint.of(operation, fields);
    }
    MessageDigest md = AccpSupport.sha256();
    md.update(operation.getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0);
    md.update(json.writeValueAsBytes(request));
    return md.digest();
  }

  /** Forgets records older than {@code ifpp.web.idempotency-retention}. */
  @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
  public void expire() {
    int n =
        jdbc.update(
            "DELETE FROM idempotency_record WHERE created_at < ?",
            Timestamp.from(clock.instant().minus(retention)));
    if (n > 0) {
      log.info("idempotency records expired count={}", n);
    }
  }
}
