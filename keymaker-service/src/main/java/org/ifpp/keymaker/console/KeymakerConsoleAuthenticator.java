package org.ifpp.keymaker.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.ifpp.console.ConsoleAuthenticator;
import org.ifpp.console.ConsoleUser;
import org.ifpp.keymaker.web.ApiProperties;
import org.springframework.stereotype.Component;

/**
 * The Key Maker's console is the operator's: the operator's API token logs in as OPERATOR; the
 * broker's token (it only delivers results) and anything else are refused. Constant-time
 * comparison, as the API's filter does.
 */
@Component
class KeymakerConsoleAuthenticator implements ConsoleAuthenticator {

  private final byte[] operator;

  KeymakerConsoleAuthenticator(ApiProperties api) {
    this.operator =
        api.operatorToken() == null ? null : api.operatorToken().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Optional<ConsoleUser> authenticate(String credential) {
    if (operator == null || operator.length < 16) {
      return Optional.empty();
    }
    boolean match = MessageDigest.isEqual(credential.getBytes(StandardCharsets.UTF_8), operator);
    return match ? Optional.of(new ConsoleUser("operator", "OPERATOR")) : Optional.empty();
  }

  @Override
  public String serviceName() {
    return "Key Maker";
  }
}
