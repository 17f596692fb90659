package org.ifpp.broker.web;

import org.ifpp.web.idempotency.IdempotencyService.Outcome;
import org.springframework.http.ResponseEntity;

/** Header names of the API and the replay marker. */
public final class Headers {

  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  public static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

  /** Names the line when the credential is bound to a factory only. */
  public static final String LINE_ID = "X-Line-Id";

  /**
   * The binary framing of packages, both ways: uploads (batches.PackageBatchBody) and batch claims
   * (lines.ClaimBatchResponse): a 4-byte big-endian header length, a JSON header, raw BF36
   * packages.
   */
  public static final String PACKAGE_BATCH = "application/vnd.ifpp.package-batch";

  private Headers() {}

  /** A response with the outcome's body, marked when it is a replay. */
  public static <T> ResponseEntity<T> replayed(ResponseEntity.BodyBuilder builder, Outcome<T> o) {
    if (o.replayed()) {
      builder.header(IDEMPOTENT_REPLAYED, "true");
    }
    return builder.body(o.body());
  }
}
