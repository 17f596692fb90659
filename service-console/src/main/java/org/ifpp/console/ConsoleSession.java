package org.ifpp.console;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The logged-in user, for the pages ({@code ${@consoleSession.user()}} in a template) and for the
 * audit actor of a console action; and what the user's role may do ({@link #mayPost}).
 */
public class ConsoleSession {

  private final ConsoleAuthenticator authenticator;

  ConsoleSession(ConsoleAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  /** The current request's console user, or null outside a logged-in console request. */
  public ConsoleUser user() {
    Authentication a = SecurityContextHolder.getContext().getAuthentication();
    return a != null && a.getPrincipal() instanceof ConsoleUser u ? u : null;
  }

  /**
   * Whether the current user may send a POST to {@code path} (the same rule that refuses it, so a
   * page shows a control only to whom it would not refuse).
   */
  public boolean mayPost(String path) {
    ConsoleUser u = user();
    return u != null && authenticator.mayPost(u, path);
  }

  /** The actor recorded for an action taken from the console ({@code console:<name>}). */
  public String actor() {
    ConsoleUser u = user();
    if (u == null) {
      throw new IllegalStateException("no console user in this request");
    }
    return "console:" + u.name();
  }
}
