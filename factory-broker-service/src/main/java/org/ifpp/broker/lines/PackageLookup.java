package org.ifpp.broker.lines;

import java.time.Instant;
import java.util.Optional;
import org.ifpp.broker.lines.PackageRepository.PackageState;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.web.DomainException;

/**
 * Explains, after a conditional update matched nothing, why: the slow path of the line calls, kept
 * out of the single-statement path.
 */
final class PackageLookup {

  private PackageLookup() {}

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
