package org.ifpp.broker.batches;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.ifpp.broker.batches.BatchValidator.ValidPackage;
import org.ifpp.broker.persistence.SqlArrays;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A batch's packages, set-based: stored in JDBC batches of one statement each (package row and
 * bytes together), purged in one statement, counted by state. The batch row itself is JPA ({@link
 * BatchRepository}).
 */
// @Component, not @Repository: JdbcClient already translates SQL exceptions, and @Repository
// would put a proxy with a reflective call in front of every statement of the hot path.
@Component
class BatchPackageRepository {

  private static final String INSERT_PACKAGE =
      "WITH p AS (INSERT INTO package (batch_id, transaction_id, eid, target_factory, target_line,"
          + " state, state_changed_at) VALUES (?, ?, ?, ?, ?, 'AVAILABLE', ?) RETURNING id)"
          + " INSERT INTO package_content (package_id, bpp, bpp_euicc_otpk) SELECT id, ?, ? FROM p";

  private final JdbcClient jdbc;
  private final JdbcTemplate batchUpdates;

  BatchPackageRepository(JdbcClient jdbc, JdbcTemplate batchUpdates) {
    this.jdbc = jdbc;
    this.batchUpdates = batchUpdates;
  }

  /** Stores packages of one batch in one JDBC batch (the caller's transaction). */
  void insert(long batchKey, String factory, Timestamp now, List<ValidPackage> chunk) {
    // JdbcClient has no JDBC batch: JdbcTemplate's batchUpdate sends one round trip per chunk.
    batchUpdates.batchUpdate(
        INSERT_PACKAGE,
        new BatchPreparedStatementSetter() {
          @Override
          public void setValues(PreparedStatement ps, int i) throws SQLException {
            ValidPackage p = chunk.get(i);
            ps.setLong(1, batchKey);
            ps.setBytes(2, p.transactionId().toBytes());
            ps.setString(3, p.eid().value());
            ps.setString(4, factory);
            ps.setString(5, p.targetLine());
            ps.setTimestamp(6, now);
            ps.setBytes(7, p.bpp());
            ps.setBytes(8, p.bppEuiccOtpk());
          }

          @Override
          public int getBatchSize() {
            return chunk.size();
          }
        });
  }

  /** The first of these transactionIds (hex) already stored, if any. */
  Optional<String> firstKnown(String[] hex) {
    return jdbc.sql(
            "SELECT upper(encode(transaction_id, 'hex')) FROM package"
                + " WHERE transaction_id IN (SELECT decode(unnest(?::text[]), 'hex'))"
                + " LIMIT 1")
        .param(SqlArrays.of("text", hex))
        .query(String.class)
        .optional();
  }

  /** Purges the batch's packages no line holds (bytes deleted); how many were purged. */
  int purge(long batchKey, Timestamp now) {
    Integer purged =
        jdbc.sql(
                "WITH purged AS (UPDATE package SET state = 'PURGED', state_changed_at = ?"
                    + " WHERE batch_id = ? AND (state = 'AVAILABLE'"
                    + " OR (state = 'CLAIMED' AND lease_until <= ?)) RETURNING id),"
                    + " gone AS (DELETE FROM package_content WHERE package_id IN"
                    + " (SELECT id FROM purged) RETURNING 1)"
                    + " SELECT count(*) FROM purged")
            .params(now, batchKey, now)
            .query(Integer.class)
            .single();
    return purged == null ? 0 : purged;
  }

  /** Packages of the batch still under a claim. */
  long claimed(long batchKey) {
    return jdbc.sql("SELECT count(*) FROM package WHERE batch_id = ? AND state = 'CLAIMED'")
        .param(batchKey)
        .query(Long.class)
        .single();
  }

  /** The batch's packages per state: AVAILABLE, CLAIMED, REPORTED, PURGED. */
  long[] countByState(long batchKey) {
    long[] counts = new long[4];
    jdbc.sql("SELECT state, count(*) FROM package WHERE batch_id = ? GROUP BY state")
        .param(batchKey)
        .query(
            (RowCallbackHandler)
                rs -> {
                  switch (rs.getString(1)) {
                    case "AVAILABLE" -> counts[0] = rs.getLong(2);
                    case "CLAIMED" -> counts[1] = rs.getLong(2);
                    case "REPORTED" -> counts[2] = rs.getLong(2);
                    default -> counts[3] = rs.getLong(2);
                  }
                });
    return counts;
  }
}
