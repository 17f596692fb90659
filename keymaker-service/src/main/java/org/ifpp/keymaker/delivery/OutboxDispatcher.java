package org.ifpp.keymaker.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

  private final OutboxRepository outbox;
  private final TransactionTemplate tx;
  private final BrokerClient broker;
  private final BrokerProperties properties;
  private final AuditLog audit;
  private final Supplier<byte[]> bindingCertificate;
  private final AtomicLong delivered = new AtomicLong();

  public OutboxDispatcher(
      OutboxRepository outbox,
      TransactionTemplate tx,
      BrokerClient broker,
      BrokerProperties properties,
      AuditLog audit,
      Supplier<byte[]> bindingCertificate) {
    this.outbox = outbox;
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
    List<BrokerClient.PackageUpload> packages = outbox.group(key);
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
              int n = outbox.markSent(key);
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
              outbox.markRejected(key);
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
    outbox.lockClaims();
    Instant leaseEnd = Instant.now().plus(properties.inFlightLease());
    String due = outbox.leaseDueGroup(leaseEnd);
    if (due != null) {
      return due;
    }
    String key = UUID.randomUUID().toString();
    int n = outbox.leaseNewGroup(key, leaseEnd, properties.uploadBatchSize());
    return n == 0 ? null : key;
  }

  private void postpone(String key) {
    int a = outbox.maxAttempts(key);
    long delayMs = Math.min(MAX_BACKOFF.toMillis(), 200L << Math.min(a, 20));
    outbox.postpone(key, Instant.now().plusMillis(delayMs));
  }
}
