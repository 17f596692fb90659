package org.ifpp.broker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The factory broker: an untrusted courier that stores and forwards opaque bound packages. */
@SpringBootApplication
public class FactoryBrokerApplication {

  public static void main(String[] args) {
    SpringApplication.run(FactoryBrokerApplication.class, args);
  }
}
