package org.ifpp.broker.lines;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.web.DomainException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Explains, after a conditional update matched nothing, why: the slow path of the line calls, kept
 * out of the single-statement fast path.
 */
@Component
class PackageLookup {

  static final String VISIBLE = "target_factory = ? AND (target_line IS NULL OR target_line = ?)";

  private final JdbcTemplate jdbc;

  PackageLookup(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  record PackageState(String state, String claimedLine, Instant leaseUntil) {}

  Optional<PackageState> byTransactionId(Claimant c, TransactionId tx) {
    List<PackageState> rows =
        jdbc.query(
            "SELECT state, claimed_line, lease_until FROM package WHERE transaction_id = ? AND "
                + VISIBLE,
            (rs, i) -> {
              Timestamp lease = rs.getTimestamp(3);
              return new PackageState(
                  rs.getString(1), rs.getString(2), lease == null ? null : lease.toInstant());
            },
            tx.toBytes(),
            c.factory(),
            c.line());
    return rows.stream().findFirst();
  }

  /** The refusal for a package this line may not use now (or 404 if it cannot see it). */
  static DomainException refusal(Optional<PackageState> found, Claimant c, Instant now) {
    if (found.isEmpty()) {
      return notFound();
    }
    PackageState s = found.get();
    return switch (s.state()) {
      case "REPORTED" ->
          new DomainException(BrokerError.PACKAGE_REPORTED, "a result was already reported");
      case "PURGED" -> new DomainException(BrokerError.PACKAGE_PURGED, "the package was purged");
      case "CLAIMED" ->
          c.line().equals(s.claimedLine()) && !s.leaseUntil().isAfter(now)
              ? new DomainException(
                  BrokerError.LEASE_EXPIRED, "the claim's lease expired: claim again")
              : new DomainException(
                  BrokerError.NOT_CLAIM_HOLDER, "this line does not hold the claim");
      default ->
          new DomainException(BrokerError.NOT_CLAIM_HOLDER, "this line does not hold the claim");
    };
  }

  static DomainException notFound() {
    return new DomainException(BrokerError.PACKAGE_NOT_FOUND, "no such package for this line");
  }
}
