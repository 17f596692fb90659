package org.ifpp.broker;

import org.ifpp.crypto.provider.AccpSupport;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The factory broker (IFPP.md section 2): an untrusted courier that stores opaque bound packages
 * from the Key Maker, hands each to exactly one production line, and collects the chips' signed
 * installation results. It holds no key and no plain profile, so it needs no HSM (GENS01/02,
 * GENS09/10).
 */
@SpringBootApplication
@EnableScheduling
@ConfigurationPropertiesScan
public class FactoryBrokerApplication {

  public static void main(String[] args) {
    // Its crypto is TLS: native AES-GCM when ACCP loads (AccpSupport.preferForTls).
    AccpSupport.preferForTls();
    SpringApplication.run(FactoryBrokerApplication.class, args);
  }
}
