package org.ifpp.web.idempotency;

/**
 * A request that feeds its own fields to the {@code Idempotency-Key} fingerprint instead of being
 * re-serialised to JSON: for a batch upload of several megabytes, the JSON form cost more CPU than
 * storing the batch (measured 2026-11-27). Two requests must feed the same bytes exactly when their
 * fields are equal.
 */
public interface Fingerprinted {

  /** Feeds every field, in a fixed order, through {@link Fingerprint#field}. */
  void fingerprint(Fingerprint into);
}
