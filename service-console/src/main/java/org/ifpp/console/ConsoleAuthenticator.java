package org.ifpp.console;

import java.util.Optional;

/**
 * A service's answer to "whose credential is this?" for its console: the same credentials as its
 * API, mapped to the same roles. A service that declares one bean gets the console's login, session
 * and CSRF protection ({@link ConsoleAutoConfiguration}).
 */
public interface ConsoleAuthenticator {

  /**
   * The user behind {@code credential} (the role's API token, as typed in the login form), or empty
   * when it is unknown or its role sees no console page (a line's, the broker's). Compares in
   * constant time; never logs the credential.
   */
  Optional<ConsoleUser> authenticate(String credential);

  /**
   * Whether {@code user} may send the console's POST to {@code path} (the request's path, e.g.
   * {@code /console/audit/verify}): a refused one is answered 403, and the pages leave out the
   * controls it would refuse ({@link ConsoleSession#mayPost}). Login and logout are always allowed.
   * Default: every console user may.
   */
  default boolean mayPost(ConsoleUser user, String path) {
    return true;
  }

  /** The service's name, as the pages title it ("Key Maker", "Factory broker"). */
  String serviceName();
}
