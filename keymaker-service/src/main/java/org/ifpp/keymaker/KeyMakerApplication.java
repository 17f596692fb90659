package org.ifpp.keymaker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Key Maker (SGP.41 SM-DPf): binds profiles to eUICC one-time keys inside an HSM boundary. */
@SpringBootApplication
public class KeyMakerApplication {

  public static void main(String[] args) {
    SpringApplication.run(KeyMakerApplication.class, args);
  }
}
