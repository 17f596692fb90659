package org.ifpp.keymaker.delivery;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the Key Maker reaches the factory broker (its upload and results endpoints). The token comes
 * from the environment (KEYMAKER_BROKER_TOKEN); {@link #toString()} redacts it.
 *
 * @param baseUrl e.g. {@code http://broker:8082}; empty disables delivery and result collection
 * @param token the Bearer token the broker issued to this Key Maker
 * @param targetFactory the factory whose lines may claim the packages
 * @param uploadBatchSize packages per upload request
 * @param dispatchInterval pause between outbox polls when idle
 * @param timeout HTTP timeout per request
 * @param resultsInterval pause between result pulls
 * @param dispatchers outbox dispatcher threads, each sending its own groups concurrently (the
 *     broker stores one upload per request thread: one dispatcher leaves the machine half idle
 *     while the binders are done and the outbox drains)
 */
@ConfigurationProperties("keymaker.broker")
public record BrokerProperties(
    String baseUrl,
    String token,
    @DefaultValue("factory-1") String targetFactory,
    @DefaultValue("200") int uploadBatchSize,
    @DefaultValue("500ms") Duration dispatchInterval,
    @DefaultValue("10s") Duration timeout,
    @DefaultValue("2s") Duration resultsInterval,
    @DefaultValue("2") int dispatchers) {

  public BrokerProperties {
    if (dispatchers < 1) {
      throw new IllegalArgumentException("keymaker.broker.dispatchers must be at least 1");
    }
  }

  /**
   * How long a group being sent is left to its dispatcher before another may send it again: longer
   * than any one upload can take (its HTTP timeout), so only a dispatcher that died mid-upload
   * leaves a group to be picked up again, and the broker's Idempotency-Key makes that harmless.
   */
  public Duration inFlightLease() {
    return timeout.multipliedBy(2);
  }

  public boolean enabled() {
    return baseUrl != null && !baseUrl.isBlank();
  }

  @Override
  public String toString() {
    return "BrokerProperties[baseUrl="
        + baseUrl
        + ", token=[REDACTED], targetFactory="
        + targetFactory
        + "]";
  }
}
