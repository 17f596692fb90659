package org.ifpp.broker.lines;

import java.sql.Timestamp;
import java.time.Clock;
import org.ifpp.broker.metrics.BrokerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Returns expired claims to AVAILABLE in the background, so batch counts and metrics stay true even
 * when no line asks for those EIDs again (a claim also takes over an expired lease itself). The
 * last claimant is kept, so its late report is still accepted.
 */
@Component
class LeaseSweeper {

  private static final Logger log = LoggerFactory.getLogger(LeaseSweeper.class);

  private final PackageRepository packages;
  private final Clock clock;
  private final BrokerMetrics metrics;

  LeaseSweeper(PackageRepository packages, Clock clock, BrokerMetrics metrics) {
    this.packages = packages;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Scheduled(
      fixedDelayString = "${ifpp.broker.lease-sweep-interval:PT30S}",
      initialDelayString = "${ifpp.broker.lease-sweep-interval:PT30S}")
  int sweep() {
    Timestamp now = Timestamp.from(clock.instant());
    int total = 0;
    int n;
    do {
      n = packages.expireLeases(now);
      total += n;
    } while (n == 1000);
    if (total > 0) {
      metrics.leasesExpiredBySweep(total);
      log.info("expired leases returned to AVAILABLE count={}", total);
    }
    return total;
  }
}
