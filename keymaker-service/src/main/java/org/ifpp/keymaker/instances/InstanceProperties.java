package org.ifpp.keymaker.instances;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param lease how long an instance counts as alive after its last heartbeat (in database time):
 *     what a killed instance's reservations wait before another instance recovers them. The
 *     heartbeat renews it every fifth of it.
 */
@ConfigurationProperties("keymaker.instance")
public record InstanceProperties(@DefaultValue("15s") Duration lease) {

  public InstanceProperties {
    if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("keymaker.instance.lease: at least 1s");
    }
  }

  /** How often the heartbeat renews the lease (and recovery looks for expired instances). */
  public Duration heartbeat() {
    return lease.dividedBy(5);
  }
}
