package org.ifpp.keymaker.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.ifpp.console.ConsoleAuthenticator;
import org.ifpp.console.ConsoleUser;
import org.ifpp.keymaker.web.ApiProperties;
import org.springframework.stereotype.Component;

/**
 * Who logs in to the Key Maker's console: the operator's API token as OPERATOR (every page and
 * action); the auditor's token ({@code keymaker.api.auditor-token}, optional) as AUDITOR, the
 * security officer, who reads every page and may only verify the audit chain; the broker's token
 * (it only delivers results) and anything else are refused. Constant-time comparison, as the API's
 * filter does.
 */
@Component
class KeymakerConsoleAuthenticator implements ConsoleAuthenticator {

  static final String OPERATOR = "OPERATOR";
  static final String AUDITOR = "AUDITOR";

  /** The one action the auditor may take: verifying the audit chain changes nothing. */
  static final String VERIFY_AUDIT = "/console/audit/verify";

  private final byte[] operator;
  private final byte[] auditor;

  KeymakerConsoleAuthenticator(ApiProperties api) {
    this.operator = bytes(api.operatorToken());
    this.auditor = bytes(api.auditorToken());
    if (auditor != null
        && (MessageDigest.isEqual(auditor, operator == null ? new byte[0] : operator)
            || MessageDigest.isEqual(auditor, bytes(api.brokerToken())))) {
      throw new IllegalStateException(
          "keymaker.api.auditor-token must differ from the operator and broker tokens");
    }
  }

  /** A configured token of at least 16 characters, else null (that role cannot log in). */
  private static byte[] bytes(String token) {
    return token == null || token.length() < 16 ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Optional<ConsoleUser> authenticate(String credential) {
    byte[] presented = credential.getBytes(StandardCharsets.UTF_8);
    boolean isOperator = operator != null && MessageDigest.isEqual(presented, operator);
    boolean isAuditor = auditor != null && MessageDigest.isEqual(presented, auditor);
    if (isOperator) {
      return Optional.of(new ConsoleUser("operator", OPERATOR));
    }
    return isAuditor ? Optional.of(new ConsoleUser("auditor", AUDITOR)) : Optional.empty();
  }

  @Override
  public boolean mayPost(ConsoleUser user, String path) {
    return switch (user.role()) {
      case OPERATOR -> true;
      case AUDITOR -> VERIFY_AUDIT.equals(path);
      default -> false;
    };
  }

  @Override
  public String serviceName() {
    return "Key Maker";
  }
}
