package org.ifpp.broker.lines;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ifpp.broker.persistence.SqlArrays;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The line's statements on the {@code package} table: claim (one or many), download, release, the
 * look-ups that explain a refusal, and the lease sweep. Each state change is one conditional
 * statement in autocommit: the claim locks the candidate row with {@code FOR UPDATE SKIP LOCKED}
 * and moves it in the same statement.
 */
// @Component, not @Repository: JdbcClient already translates SQL exceptions, and @Repository
// would put a proxy with a reflective call in front of every statement of the hot path.
@Component
class PackageRepository {

  private static final String OTPK =
      "(SELECT c.bpp_euicc_otpk FROM package_content c WHERE c.package_id = p.id)";
  private static final String BPP =
      "(SELECT c.bpp FROM package_content c WHERE c.package_id = p.id)";

  /** A package this line may see: its factory's, for any line or for this line. */
  static final String VISIBLE = "target_factory = ? AND (target_line IS NULL OR target_line = ?)";

  // Takes an AVAILABLE package, one whose lease has expired, or the one this line already holds
  // (a retried claim). The sub-select returns the previous state for the metrics. The batch's
  // external id comes from BatchIds (immutable), not from a sub-select per claim.
  // The package's one-time key (bppEuiccOtpk) and bytes live beside the hot row, in
  // package_content: read by primary key for the row taken (a scalar sub-select each, whose plan
  // is fixed; a join in FROM let the planner pick worse plans).
  private static final String CLAIM =
      "UPDATE package p SET state = 'CLAIMED', claimed_line = ?, lease_until = ?,"
          + " claim_count = p.claim_count + 1, state_changed_at = ?"
          + " FROM (SELECT id, state AS prev_state, claimed_line AS prev_line FROM package"
          + "  WHERE eid = ? AND "
          + VISIBLE
          + "  AND (state = 'AVAILABLE' OR (state = 'CLAIMED'"
          + "   AND (lease_until <= ? OR claimed_line = ?)))"
          + "  ORDER BY CASE WHEN state = 'CLAIMED' AND claimed_line = ? THEN 0 ELSE 1 END, id"
          + "  LIMIT 1 FOR UPDATE SKIP LOCKED) prev"
          + " WHERE p.id = prev.id"
          + " RETURNING p.transaction_id, p.claim_count, prev.prev_state, prev.prev_line,"
          + " p.batch_id, "
          + OTPK;

  // The same claim returning the package bytes too: claim and download in one statement.
  private static final String CLAIM_WITH_PACKAGE = CLAIM + ", " + BPP;

  // The claim of several EIDs at once: the same conditions and lock per EID (a LATERAL sub-select
  // with LIMIT 1 FOR UPDATE SKIP LOCKED each), the EIDs taken in the array's order (sorted by the
  // caller) so that two batches lock their rows in the same order.
  private static final String CLAIM_MANY_WITH_PACKAGE =
      "UPDATE package p SET state = 'CLAIMED', claimed_line = ?, lease_until = ?,"
          + " claim_count = p.claim_count + 1, state_changed_at = ?"
          + " FROM (SELECT e.eid, t.id, t.prev_state, t.prev_line"
          + "  FROM unnest(?::text[]) WITH ORDINALITY AS e(eid, ord)"
          + "  CROSS JOIN LATERAL (SELECT id, state AS prev_state, claimed_line AS prev_line"
          + "   FROM package WHERE eid = e.eid AND "
          + VISIBLE
          + "   AND (state = 'AVAILABLE' OR (state = 'CLAIMED'"
          + "    AND (lease_until <= ? OR claimed_line = ?)))"
          + "   ORDER BY CASE WHEN state = 'CLAIMED' AND claimed_line = ? THEN 0 ELSE 1 END, id"
          + "   LIMIT 1 FOR UPDATE SKIP LOCKED) t ORDER BY e.ord) prev"
          + " WHERE p.id = prev.id"
          + " RETURNING p.transaction_id, p.claim_count, prev.prev_state, prev.prev_line,"
          + " p.batch_id, "
          + OTPK
          + ", "
          + BPP
          + ", prev.eid";

  private static final String DOWNLOAD =
      "SELECT c.bpp FROM package p JOIN package_content c ON c.package_id = p.id"
          + " WHERE p.transaction_id = ? AND p.target_factory = ?"
          + " AND (p.target_line IS NULL OR p.target_line = ?)"
          + " AND p.state = 'CLAIMED' AND p.claimed_line = ? AND p.lease_until > ?";

  private final JdbcClient jdbc;

  PackageRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * A row the claim took.
   *
   * @param transactionId the package's transactionId
   * @param claimCount claims of the package so far, this one included
   * @param prevState the state before the claim
   * @param prevLine the line that held it before, if any
   * @param batchKey the batch's internal key
   * @param bppEuiccOtpk the one-time key the package is bound to (65 bytes), null if not named
   * @param bpp the package bytes (null when not asked for)
   */
  record Claimed(
      TransactionId transactionId,
      int claimCount,
      String prevState,
      String prevLine,
      long batchKey,
      byte[] bppEuiccOtpk,
      byte[] bpp) {}

  /** Claims the package of {@code eid} for the line; empty if the statement took none. */
  List<Claimed> claim(
      Claimant c, Eid eid, boolean withPackage, OffsetDateTime now, OffsetDateTime leaseUntil) {
    return jdbc.sql(withPackage ? CLAIM_WITH_PACKAGE : CLAIM)
        .params(
            c.line(), leaseUntil, now, eid.value(), c.factory(), c.line(), now, c.line(), c.line())
        .query((rs, i) -> claimed(rs, withPackage ? rs.getBytes(7) : null))
        .list();
  }

  /**
   * Claims, with their packages, every EID the statement can take.
   *
   * @param sortedEids EIDs in lock order
   * @return the rows taken, by EID
   */
  Map<String, Claimed> claimAll(
      Claimant c, String[] sortedEids, OffsetDateTime now, OffsetDateTime leaseUntil) {
    Map<String, Claimed> taken = new java.util.HashMap<>();
    jdbc.sql(CLAIM_MANY_WITH_PACKAGE)
        .params(
            c.line(),
            leaseUntil,
            now,
            SqlArrays.of("text", sortedEids),
            c.factory(),
            c.line(),
            now,
            c.line(),
            c.line())
        .query((RowCallbackHandler) rs -> taken.put(rs.getString(8), claimed(rs, rs.getBytes(7))));
    return taken;
  }

  private static Claimed claimed(ResultSet rs, byte[] bpp) throws SQLException {
    return new Claimed(
        TransactionId.of(rs.getBytes(1)),
        rs.getInt(2),
        rs.getString(3),
        rs.getString(4),
        rs.getLong(5),
        rs.getBytes(6),
        bpp);
  }

  /** The distinct states of the packages of {@code eid} this line may see. */
  List<String> visibleStates(Claimant c, Eid eid) {
    return jdbc.sql("SELECT DISTINCT state FROM package WHERE eid = ? AND " + VISIBLE)
        .params(eid.value(), c.factory(), c.line())
        .query(String.class)
        .list();
  }

  /** The package bytes, for the line holding a live claim. */
  Optional<byte[]> download(Claimant c, TransactionId tx, OffsetDateTime now) {
    return jdbc.sql(DOWNLOAD)
        .params(tx.toBytes(), c.factory(), c.line(), c.line(), now)
        .query((rs, i) -> rs.getBytes(1))
        .optional();
  }

  /** The binding certificate (DER) of the package's batch. */
  Optional<byte[]> bindingCertificate(Claimant c, TransactionId tx) {
    return jdbc.sql(
            "SELECT b.binding_certificate FROM package p JOIN batch b ON b.id = p.batch_id"
                + " WHERE p.transaction_id = ? AND p.target_factory = ?"
                + " AND (p.target_line IS NULL OR p.target_line = ?)")
        .params(tx.toBytes(), c.factory(), c.line())
        .query((rs, i) -> rs.getBytes(1))
        .optional();
  }

  /** Gives this line's claim back; the number of rows changed (0 or 1). */
  int release(Claimant c, TransactionId tx, OffsetDateTime now) {
    return jdbc.sql(
            "UPDATE package SET state = 'AVAILABLE', lease_until = NULL, state_changed_at = ?"
                + " WHERE transaction_id = ? AND "
                + VISIBLE
                + " AND state = 'CLAIMED' AND claimed_line = ?")
        .params(now, tx.toBytes(), c.factory(), c.line(), c.line())
        .update();
  }

  /**
   * A package as a line sees it.
   *
   * @param eid its chip
   * @param state its state
   * @param claimedLine the last line to claim it, if any
   * @param leaseUntil the end of that claim's lease, if any
   */
  record PackageState(Eid eid, String state, String claimedLine, java.time.Instant leaseUntil) {}

  Optional<PackageState> byTransactionId(Claimant c, TransactionId tx) {
    return jdbc.sql(
            "SELECT eid, state, claimed_line, lease_until FROM package"
                + " WHERE transaction_id = ? AND "
                + VISIBLE)
        .params(tx.toBytes(), c.factory(), c.line())
        .query(
            (rs, i) -> {
              Timestamp lease = rs.getTimestamp(4);
              return new PackageState(
                  Eid.of(rs.getString(1)),
                  rs.getString(2),
                  rs.getString(3),
                  lease == null ? null : lease.toInstant());
            })
        .optional();
  }

  /** Returns up to 1000 expired claims to AVAILABLE; the number returned. */
  int expireLeases(Timestamp now) {
    return jdbc.sql(
            "UPDATE package SET state = 'AVAILABLE', state_changed_at = ? WHERE id IN"
                + " (SELECT id FROM package WHERE state = 'CLAIMED' AND lease_until <= ?"
                + "  LIMIT 1000 FOR UPDATE SKIP LOCKED)")
        .params(now, now)
        .update();
  }

  /** The Key Maker's id of a batch, by its internal key. */
  String batchExternalId(long batchKey) {
    return jdbc.sql("SELECT external_id FROM batch WHERE id = ?")
        .param(batchKey)
        .query(String.class)
        .single();
  }
}
