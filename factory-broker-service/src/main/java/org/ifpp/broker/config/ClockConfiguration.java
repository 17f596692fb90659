package org.ifpp.broker.config;

import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One clock for leases and timestamps, replaceable in tests. */
@Configuration(proxyBeanMethods = false)
class ClockConfiguration {

  @Bean
  Clock clock() {
    // Microseconds: what PostgreSQL stores, so an instant read back equals the one written.
    return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1000));
  }
}
