package org.ifpp.euicc;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A fleet of simulated eUICCs that verify, decrypt, install and destroy one-time keys. */
@SpringBootApplication
public class EuiccSimulatorApplication {

  public static void main(String[] args) {
    SpringApplication.run(EuiccSimulatorApplication.class, args);
  }
}
