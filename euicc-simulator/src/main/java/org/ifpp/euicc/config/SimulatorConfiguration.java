package org.ifpp.euicc.config;

import java.security.SecureRandom;
import org.ifpp.euicc.lifecycle.ChipLifecycleService;
import org.ifpp.euicc.manufacturing.EidAllocator;
import org.ifpp.euicc.manufacturing.EumAuthority;
import org.ifpp.euicc.manufacturing.EumBootstrap;
import org.ifpp.euicc.manufacturing.ManufacturingService;
import org.ifpp.euicc.store.ChipRepository;
import org.ifpp.euicc.store.ChipStore;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the plain (Spring-free) domain classes of the simulator. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SimulatorProperties.class)
class SimulatorConfiguration {

  @Bean
  SecureRandom secureRandom() {
    return new SecureRandom();
  }

  @Bean
  ChipRepository chipRepository(SimulatorProperties properties) {
    return new ChipRepository(new ChipStore(properties.stateDir(), properties.fsync()));
  }

  @Bean
  EumAuthority eumAuthority(SimulatorProperties properties, SecureRandom random) {
    return EumBootstrap.loadOrCreate(
        properties.stateDir().resolve("eum"), properties.eum(), properties.fsync(), random);
  }

  @Bean
  ManufacturingService manufacturingService(
      ChipRepository chips, EumAuthority eum, SimulatorProperties properties, SecureRandom random) {
    EidAllocator allocator =
        new EidAllocator(
            eum.eidPrefix(),
            properties.stateDir().resolve("eum").resolve("next-serial"),
            properties.fsync());
    return new ManufacturingService(chips, eum, allocator, random);
  }

  @Bean
  ChipLifecycleService chipLifecycleService(ChipRepository chips) {
    return new ChipLifecycleService(chips);
  }
}
