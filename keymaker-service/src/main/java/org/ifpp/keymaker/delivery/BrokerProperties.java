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
 */
@ConfigurationProperties("keymaker.broker")
public record BrokerProperties(
    String baseUrl,
    String token,
    @DefaultValue("factory-1") String targetFactory,
    @DefaultValue("200") int uploadBatchSize,
    @DefaultValue("500ms") Duration dispatchInterval,
    @DefaultValue("10s") Duration timeout,
    @DefaultValue("2s") Duration resultsInterval) {

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
