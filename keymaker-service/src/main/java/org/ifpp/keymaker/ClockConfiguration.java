package org.ifpp.keymaker;

import java.time.Clock;
import org.ifpp.keymaker.euiccs.TrustProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The clock certificate validity is checked against. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TrustProperties.class)
class ClockConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
