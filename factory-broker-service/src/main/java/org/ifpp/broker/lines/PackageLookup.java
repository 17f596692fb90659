package org.ifpp.broker.lines;

import java.time.Instant;
import java.util.Optional;
import org.ifpp.broker.lines.PackageRepository.PackageState;
import org.ifpp.broker.web.BrokerException;

/**
 * Explains, after a conditional update matched nothing, why: the slow path of the line calls, kept
 * out of the single-statement path.
 */
final class PackageLookup {

  private PackageLookup() {}

  /** The refusal for a package this line may not use now (or 404 if it cannot see it). */
  static BrokerException refusal(Optional<PackageState> found, Claimant c, Instant now) {
    if (found.isEmpty()) {
      return notFound();
    }
    PackageState s = found.get();
    return switch (s.state()) {
      case "REPORTED" ->
          BrokerException.conflict("package-reported", "a result was already reported");
      case "PURGED" -> BrokerException.conflict("package-purged", "the package was purged");
      case "CLAIMED" ->
          c.line().equals(s.claimedLine()) && !s.leaseUntil().isAfter(now)
              ? BrokerException.conflict("lease-expired", "the claim's lease expired: claim again")
              : BrokerException.conflict("not-claim-holder", "this line does not hold the claim");
      default -> BrokerException.conflict("not-claim-holder", "this line does not hold the claim");
    };
  }

  static BrokerException notFound() {
    return BrokerException.notFound("package-not-found", "no such package for this line");
  }
}
