package org.ifpp.broker.console;

import java.util.Optional;
import org.ifpp.broker.auth.ApiClient;
import org.ifpp.broker.auth.CredentialService;
import org.ifpp.broker.auth.Scope;
import org.ifpp.console.ConsoleAuthenticator;
import org.ifpp.console.ConsoleUser;
import org.springframework.stereotype.Component;

/**
 * The broker's console is the factory supervisor's: a client credential holding the {@code
 * supervise} scope logs in as SUPERVISOR. A line's credential, the Key Maker's and any other are
 * refused. The same credential store as the API (hashes only).
 */
@Component
class BrokerConsoleAuthenticator implements ConsoleAuthenticator {

  private final CredentialService credentials;

  BrokerConsoleAuthenticator(CredentialService credentials) {
    this.credentials = credentials;
  }

  @Override
  public Optional<ConsoleUser> authenticate(String credential) {
    return credentials
        .authenticate(credential)
        .filter(c -> c.scopes().contains(Scope.SUPERVISE))
        .map(BrokerConsoleAuthenticator::user);
  }

  private static ConsoleUser user(ApiClient client) {
    return new ConsoleUser(client.name(), "SUPERVISOR");
  }

  @Override
  public String serviceName() {
    return "Factory broker";
  }
}
