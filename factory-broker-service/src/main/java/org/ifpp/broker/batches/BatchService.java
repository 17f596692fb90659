package org.ifpp.broker.batches;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.ifpp.broker.auth.ApiClient;
import org.ifpp.broker.batches.BatchValidator.ValidBatch;
import org.ifpp.broker.batches.BatchValidator.ValidPackage;
import org.ifpp.broker.metrics.BrokerMetrics;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.web.DomainException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores and purges batches (IFPP.md section 4 steps 4 and 8). An upload is one transaction: the
 * batch and all its packages commit together or not at all, whatever happens to the process.
 */
@Service
public class BatchService {

  private static final Logger log = LoggerFactory.getLogger(BatchService.class);
  private static final int CHUNK = 500;

  private final BatchRepository batches;
  private final BatchPackageRepository store;
  private final Clock clock;
  private final BrokerMetrics metrics;

  BatchService(
      BatchRepository batches,
      BatchPackageRepository packages,
      Clock clock,
      BrokerMetrics metrics) {
    this.batches = batches;
    this.store = packages;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** Stores a validated batch; joins the caller's transaction (the idempotency record's). */
  @Transactional(propagation = Propagation.MANDATORY)
  UploadBatchResponse store(ApiClient client, ValidBatch batch) {
    if (batches.existsByExternalId(batch.batchId())) {
      throw new DomainException(
          BrokerError.DUPLICATE_BATCH, "batch " + batch.batchId() + " exists");
    }
    refuseKnownTransactionIds(batch.packages());
    Instant now = clock.instant();
    BatchEntity e = new BatchEntity();
    e.externalId = batch.batchId();
    e.targetFactory = batch.targetFactory();
    e.bindingCertificate = batch.bindingCertificate();
    e.packageCount = batch.packages().size();
    e.uploadedBy = client.name();
    e.createdAt = now;
    batches.saveAndFlush(e);
    long batchId = e.id;
    Timestamp ts = Timestamp.from(now);
    List<ValidPackage> packages = batch.packages();
    for (int from = 0; from < packages.size(); from += CHUNK) {
      List<ValidPackage> chunk = packages.subList(from, Math.min(packages.size(), from + CHUNK));
      store.insert(batchId, batch.targetFactory(), ts, chunk);
    }
    metrics.packagesUploaded(packages.size());
    log.info(
        "batch stored batchId={} factory={} packages={} by={}",
        batch.batchId(),
        batch.targetFactory(),
        packages.size(),
        client.name());
    return new UploadBatchResponse(batch.batchId(), packages.size(), now);
  }

  private void refuseKnownTransactionIds(List<ValidPackage> packages) {
    for (int from = 0; from < packages.size(); from += CHUNK) {
      String[] hex =
          packages.subList(from, Math.min(packages.size(), from + CHUNK)).stream()
              .map(p -> p.transactionId().toHex())
              .toArray(String[]::new);
      Optional<String> known = store.firstKnown(hex);
      if (known.isPresent()) {
        throw new DomainException(
            BrokerError.DUPLICATE_TRANSACTION_ID,
            "transactionId " + known.get() + " is already stored");
      }
    }
  }

  /**
   * Purges the packages of a batch that no line holds: their bytes are deleted and their state
   * becomes PURGED (IFPP.md section 4 step 8). Packages under a live claim are left alone.
   */
  @Transactional
  public PurgeResponse purge(String batchExternalId) {
    BatchEntity batch = find(batchExternalId);
    Timestamp now = Timestamp.from(clock.instant());
    int purged = store.purge(batch.id, now);
    long stillClaimed = store.claimed(batch.id);
    batch.purgedAt = now.toInstant();
    log.info(
        "batch purged batchId={} purged={} stillClaimed={}", batchExternalId, purged, stillClaimed);
    return new PurgeResponse(batchExternalId, purged, stillClaimed);
  }

  @Transactional(readOnly = true)
  public BatchStatusResponse status(String batchExternalId) {
    BatchEntity b = find(batchExternalId);
    long[] counts = store.countByState(b.id);
    return new BatchStatusResponse(
        b.externalId,
        b.targetFactory,
        b.packageCount,
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        b.createdAt,
        b.purgedAt);
  }

  private BatchEntity find(String externalId) {
    return batches
        .findByExternalId(externalId)
        .orElseThrow(() -> new DomainException(BrokerError.BATCH_NOT_FOUND, "no such batch"));
  }
}
