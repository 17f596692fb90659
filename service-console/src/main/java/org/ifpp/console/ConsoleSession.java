package org.ifpp.console;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The logged-in user, for the pages ({@code ${@consoleSession.user()}} in a template) and for the
 * audit actor of a console action.
 */
public class ConsoleSession {

  /** The current request's console user, or null outside a logged-in console request. */
  public ConsoleUser user() {
    Authentication a = SecurityContextHolder.getContext().getAuthentication();
    return a != null && a.getPrincipal() instanceof ConsoleUser u ? u : null;
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
