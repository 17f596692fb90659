package org.ifpp.broker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The broker's operational meters: {@code broker.claims{outcome}}, {@code broker.reports{outcome}},
 * {@code broker.lease.expiries{via}}, {@code broker.packages.uploaded}, {@code broker.downloads}
 * and the claim latency timer {@code broker.claim.latency} (p50/p95/p99).
 */
@Component
public class BrokerMetrics {

  private final Counter claimed;
  private final Counter reclaimed;
  private final Counter conflict;
  private final Counter notFound;
  private final Counter installed;
  private final Counter failed;
  private final Counter expiredAtClaim;
  private final Counter expiredBySweep;
  private final Counter uploaded;
  private final Counter downloads;
  private final Timer claimLatency;

  public BrokerMetrics(MeterRegistry registry) {
    claimed = claims(registry, "claimed");
    reclaimed = claims(registry, "reclaimed");
    conflict = claims(registry, "conflict");
    notFound = claims(registry, "not_found");
    installed = Counter.builder("broker.reports").tag("outcome", "installed").register(registry);
    failed = Counter.builder("broker.reports").tag("outcome", "failed").register(registry);
    expiredAtClaim =
        Counter.builder("broker.lease.expiries").tag("via", "claim").register(registry);
    expiredBySweep =
        Counter.builder("broker.lease.expiries").tag("via", "sweep").register(registry);
    uploaded = Counter.builder("broker.packages.uploaded").register(registry);
    downloads = Counter.builder("broker.downloads").register(registry);
    claimLatency =
        Timer.builder("broker.claim.latency")
            .description("time to answer a claim, database included")
            .publishPercentiles(0.5, 0.95, 0.99)
            .register(registry);
  }

  private static Counter claims(MeterRegistry registry, String outcome) {
    return Counter.builder("broker.claims").tag("outcome", outcome).register(registry);
  }

  public void claimed(boolean retry) {
    (retry ? reclaimed : claimed).increment();
  }

  public void claimConflict() {
    conflict.increment();
  }

  public void claimNotFound() {
    notFound.increment();
  }

  public void reported(boolean installedOutcome) {
    (installedOutcome ? installed : failed).increment();
  }

  public void leaseExpiredAtClaim() {
    expiredAtClaim.increment();
  }

  public void leasesExpiredBySweep(int count) {
    expiredBySweep.increment(count);
  }

  public void packagesUploaded(int count) {
    uploaded.increment(count);
  }

  public void downloaded() {
    downloads.increment();
  }

  public void claimLatency(long nanos) {
    claimLatency.record(Duration.ofNanos(nanos));
  }
}
