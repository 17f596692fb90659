package org.ifpp.broker.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Broker settings ({@code ifpp.broker.*}).
 *
 * @param lease how long a claim holds a package for its line before it returns to AVAILABLE
 * @param maxBatchSize most packages in one upload (400 above)
 * @param maxPackageSize largest single bound package (400 above)
 * @param maxExportPage most results in one export page
 * @param credentialCacheTtl how long an authenticated token is trusted without a database read
 *     (bounds how late a revocation made on another instance takes effect)
 * @param leaseSweepInterval period of the sweep that returns expired claims to AVAILABLE
 * @param bootstrapClients clients created at start-up when absent (demo and first install)
 */
@ConfigurationProperties("ifpp.broker")
public record BrokerProperties(
    Duration lease,
    int maxBatchSize,
    DataSize maxPackageSize,
    int maxExportPage,
    Duration credentialCacheTtl,
    Duration leaseSweepInterval,
    List<BootstrapClient> bootstrapClients) {

  public BrokerProperties {
    lease = lease == null ? Duration.ofMinutes(10) : lease;
    maxBatchSize = maxBatchSize <= 0 ? 10_000 : maxBatchSize;
    maxPackageSize = maxPackageSize == null ? DataSize.ofMegabytes(1) : maxPackageSize;
    maxExportPage = maxExportPage <= 0 ? 1000 : maxExportPage;
    credentialCacheTtl = credentialCacheTtl == null ? Duration.ofSeconds(5) : credentialCacheTtl;
    leaseSweepInterval = leaseSweepInterval == null ? Duration.ofSeconds(30) : leaseSweepInterval;
    bootstrapClients = bootstrapClients == null ? List.of() : List.copyOf(bootstrapClients);
  }

  /**
   * A client created at start-up if no client of that name exists yet; later rotations in the
   * database win over this value.
   *
   * @param name client name
   * @param token the initial bearer token (a secret: never printed)
   * @param scopes comma-separated scope names
   * @param factory the factory a line client is bound to
   * @param line the line a line client is bound to, or null for any line of the factory
   */
  public record BootstrapClient(
      String name, String token, String scopes, String factory, String line) {
    @Override
    public String toString() {
      return "BootstrapClient[name="
          + name
          + ", token=[REDACTED], scopes="
          + scopes
          + ", factory="
          + factory
          + ", line="
          + line
          + "]";
    }
  }
}
