package org.ifpp.broker.auth;

import org.ifpp.broker.config.BrokerProperties;
import org.ifpp.broker.config.BrokerProperties.BootstrapClient;
import org.ifpp.web.DomainException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * Creates the clients named in {@code ifpp.broker.bootstrap-clients} when they do not exist yet, so
 * a fresh installation (and the demo) can be used at once. Existing clients are left alone:
 * credentials rotated through the admin API win over configuration. Several brokers starting at
 * once on one database may race to create the same client: the database's unique name lets one win,
 * and the others find the client there.
 */
@Component
class BootstrapClients implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(BootstrapClients.class);

  private final BrokerProperties properties;
  private final CredentialService credentials;

  BootstrapClients(BrokerProperties properties, CredentialService credentials) {
    this.properties = properties;
    this.credentials = credentials;
  }

  @Override
  public void run(ApplicationArguments args) {
    for (BootstrapClient c : properties.bootstrapClients()) {
      if (c.token() == null || c.token().length() < 16) {
        throw new IllegalStateException("bootstrap client " + c.name() + ": token too short");
      }
      if (!credentials.exists(c.name())) {
        try {
          credentials.create(
              c.name(),
              Scope.parseList(c.scopes()),
              blank(c.factory()),
              blank(c.line()),
              c.token());
          log.info("bootstrap client created name={}", c.name());
        } catch (DataIntegrityViolationException | DomainException e) {
          if (!credentials.exists(c.name())) {
            throw e;
          }
          log.info("bootstrap client created by another instance name={}", c.name());
        }
      }
    }
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
