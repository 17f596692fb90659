package org.ifpp.broker.batches;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.ifpp.broker.auth.ApiClient;
import org.ifpp.broker.batches.BatchValidator.ValidBatch;
import org.ifpp.broker.batches.BatchValidator.ValidPackage;
import org.ifpp.broker.metrics.BrokerMetrics;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.web.DomainException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
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

  private static final String INSERT_PACKAGE =
      "WITH p AS (INSERT INTO package (batch_id, transaction_id, eid, target_factory, target_line,"
          + " state, state_changed_at) VALUES (?, ?, ?, ?, ?, 'AVAILABLE', ?) RETURNING id)"
          + " INSERT INTO package_content (package_id, bpp) SELECT id, ? FROM p";

  private final BatchRepository batches;
  private final JdbcTemplate jdbc;
  private final Clock clock;
  private final BrokerMetrics metrics;

  BatchService(BatchRepository batches, JdbcTemplate jdbc, Clock clock, BrokerMetrics metrics) {
    this.batches = batches;
    this.jdbc = jdbc;
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
      jdbc.batchUpdate(
          INSERT_PACKAGE,
          new BatchPreparedStatementSetter() {
            @Override
            public void setValues(PreparedStatement ps, int i) throws SQLException {
              ValidPackage p = chunk.get(i);
              ps.setLong(1, batchId);
              ps.setBytes(2, p.transactionId().toBytes());
              ps.setString(3, p.eid().value());
              ps.setString(4, batch.targetFactory());
              ps.setString(5, p.targetLine());
              ps.setTimestamp(6, ts);
              ps.setBytes(7, p.bpp());
            }

            @Override
            public int getBatchSize() {
              return chunk.size();
            }
          });
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
      List<String> known =
          jdbc.query(
              con -> {
                PreparedStatement ps =
                    con.prepareStatement(
                        "SELECT upper(encode(transaction_id, 'hex')) FROM package"
                            + " WHERE transaction_id IN (SELECT decode(unnest(?::text[]), 'hex'))"
                            + " LIMIT 1");
                ps.setArray(1, con.createArrayOf("text", hex));
                return ps;
              },
              (rs, i) -> rs.getString(1));
      if (!known.isEmpty()) {
        throw new DomainException(
            BrokerError.DUPLICATE_TRANSACTION_ID,
            "transactionId " + known.get(0) + " is already stored");
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
    Integer purged =
        jdbc.queryForObject(
            "WITH purged AS (UPDATE package SET state = 'PURGED', state_changed_at = ?"
                + " WHERE batch_id = ? AND (state = 'AVAILABLE'"
                + " OR (state = 'CLAIMED' AND lease_until <= ?)) RETURNING id),"
                + " gone AS (DELETE FROM package_content WHERE package_id IN"
                + " (SELECT id FROM purged) RETURNING 1)"
                + " SELECT count(*) FROM purged",
            Integer.class,
            now,
            batch.id,
            now);
    Long stillClaimed =
        jdbc.queryForObject(
            "SELECT count(*) FROM package WHERE batch_id = ? AND state = 'CLAIMED'",
            Long.class,
            batch.id);
    batch.purgedAt = now.toInstant();
    log.info(
        "batch purged batchId={} purged={} stillClaimed={}", batchExternalId, purged, stillClaimed);
    return new PurgeResponse(batchExternalId, purged == null ? 0 : purged, stillClaimed);
  }

  @Transactional(readOnly = true)
  public BatchStatusResponse status(String batchExternalId) {
    BatchEntity b = find(batchExternalId);
    long[] counts = new long[4];
    jdbc.query(
        "SELECT state, count(*) FROM package WHERE batch_id = ? GROUP BY state",
        rs -> {
          switch (rs.getString(1)) {
            case "AVAILABLE" -> counts[0] = rs.getLong(2);
            case "CLAIMED" -> counts[1] = rs.getLong(2);
            case "REPORTED" -> counts[2] = rs.getLong(2);
            default -> counts[3] = rs.getLong(2);
          }
        },
        b.id);
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
