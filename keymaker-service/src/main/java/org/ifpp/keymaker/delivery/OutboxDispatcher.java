package org.ifpp.keymaker.delivery;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers bound packages from the outbox to the broker, exactly once as seen by the broker, even
 * when the broker is down or slow or the Key Maker restarts mid-way.
 *
 * <p>A group of pending rows is first given an upload key in its own transaction (committed before
 * anything is sent). The group is then posted as one broker batch whose batchId and Idempotency-Key
 * are that upload key, rows in id order, so every retry (after a timeout, a 5xx, a crash) sends the
 * same body under the same key and the broker answers with its first result instead of storing
 * twice. Rows become SENT only after the broker said stored.
 *
 * <p>Several dispatchers may run at once (threads, or Key Makers on one database): a group is taken
 * with SKIP LOCKED and leased to its dispatcher ({@link BrokerProperties#inFlightLease()}, pushed
 * into {@code next_attempt_at}), so no two send the same group at the same time; a group whose
 * dispatcher died mid-upload is sent again when its lease runs out.
 */
public class OutboxDispatcher {

  private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  // pg_advisory_xact_lock key of the group claim ("IFPPOUTB" in ASCII).
  private static final long CLAIM_LOCK = 0x4946505f4f555442L;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final BrokerClient broker;
  private final BrokerProperties properties;
  private final AuditLog audit;
  private final Supplier<byte[]> bindingCertificate;
  private final AtomicLong delivered = new AtomicLong();

  public OutboxDispatcher(
      JdbcTemplate jdbc,
      TransactionTemplate tx,
      BrokerClient broker,
      BrokerProperties properties,
      AuditLog audit,
      Supplier<byte[]> bindingCertificate) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.broker = broker;
    this.properties = properties;
    this.audit = audit;
    this.bindingCertificate = bindingCertificate;
  }

  /** Packages the broker confirmed since start. */
  public long deliveredCount() {
    return delivered.get();
  }

  /**
   * Sends at most one group.
   *
   * @return true if a group was stored by the broker (call again at once), false if idle or failing
   */
  public boolean dispatchOnce() {
    String key = tx.execute(s -> claimGroup());
    if (key == null) {
      return false;
    }
    List<BrokerClient.PackageUpload> packages =
        jdbc.query(
            "select o.eid, o.transaction_id, "
                + OutboxPayloads.PAYLOAD
                + " as payload from "
                + OutboxPayloads.FROM
                + " where o.upload_key = ?::uuid and o.state = 'PENDING' order by o.id",
            (rs, i) ->
                new BrokerClient.PackageUpload(
                    rs.getString("eid"),
                    HexFormat.of().withUpperCase().formatHex(rs.getBytes("transaction_id")),
                    null,
                    rs.getBytes("payload")),
            key);
    if (packages.isEmpty()) {
      return false;
    }
    BrokerClient.UploadBatch batch =
        new BrokerClient.UploadBatch(
            key,
            properties.targetFactory(),
            null,
            Base64.getEncoder().encodeToString(bindingCertificate.get()),
            packages);
    BrokerClient.UploadResult result = broker.upload(batch, key);
    switch (result.outcome()) {
      case STORED -> {
        tx.executeWithoutResult(
            s -> {
              int n =
                  jdbc.update(
                      "update outbox set state = 'SENT', sent_at = now(), attempts = attempts + 1"
                          + " where upload_key = ?::uuid and state = 'PENDING'",
                      key);
              audit.append(
                  AuditRecord.of(
                      "dispatcher", "PACKAGES_DELIVERED", key, "count", Integer.toString(n)));
            });
        delivered.addAndGet(packages.size());
        log.info("delivered {} packages to the broker (upload {})", packages.size(), key);
        return true;
      }
      case RETRY -> {
        postpone(key);
        log.warn("broker upload {} to retry: status {}", key, result.status());
        return false;
      }
      default -> {
        tx.executeWithoutResult(
            s -> {
              jdbc.update(
                  "update outbox set state = 'REJECTED', attempts = attempts + 1"
                      + " where upload_key = ?::uuid and state = 'PENDING'",
                  key);
              audit.append(
                  AuditRecord.of(
                      "dispatcher",
                      "DELIVERY_REJECTED",
                      key,
                      "status",
                      Integer.toString(result.status())));
            });
        log.error("broker rejected upload {}: {} {}", key, result.status(), result.body());
        return false;
      }
    }
  }

  /**
   * An unfinished group due for a retry, or a new group of never-sent rows; leased to the caller.
   */
  private String claimGroup() {
    // One claim at a time across dispatchers (and Key Makers on this database), for as long as
    // this short transaction lasts: two dispatchers locking rows of the same group in different
    // orders would otherwise deadlock, or both take it.
    jdbc.queryForList("select pg_advisory_xact_lock(?)", CLAIM_LOCK);
    Timestamp leaseEnd = Timestamp.from(Instant.now().plus(properties.inFlightLease()));
    List<String> due =
        jdbc.queryForList(
            "update outbox set next_attempt_at = ? where state = 'PENDING' and upload_key = (select"
                + " upload_key from outbox where state = 'PENDING' and upload_key is not null and"
                + " next_attempt_at <= now() order by id limit 1) returning"
                + " upload_key::text",
            String.class,
            leaseEnd);
    if (!due.isEmpty()) {
      return due.get(0);
    }
    String key = UUID.randomUUID().toString();
    int n =
        jdbc.update(
            "update outbox set upload_key = ?::uuid, next_attempt_at = ? where id in (select id"
                + " from outbox where state = 'PENDING' and upload_key is null order by id limit ?"
                + " for update skip locked)",
            key,
            leaseEnd,
            properties.uploadBatchSize());
    return n == 0 ? null : key;
  }

  private void postpone(String key) {
    Integer attempts =
        jdbc.queryForObject(
            "select max(attempts) from outbox where upload_key = ?::uuid", Integer.class, key);
    int a = attempts == null ? 0 : attempts;
    long delayMs = Math.min(MAX_BACKOFF.toMillis(), 200L << Math.min(a, 20));
    jdbc.update(
        "update outbox set attempts = attempts + 1, next_attempt_at = ? where upload_key = ?::uuid"
            + " and state = 'PENDING'",
        Timestamp.from(Instant.now().plusMillis(delayMs)),
        key);
  }
}
