package org.ifpp.broker.auth;

import java.util.Set;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.web.DomainException;

/**
 * The authenticated caller of one request: a named client with scopes; a line client is bound to a
 * factory and optionally to one line.
 *
 * @param name client name (unique)
 * @param scopes granted scopes
 * @param factory the factory whose packages a line client sees, or null
 * @param line the single line this credential acts as, or null for any line of the factory
 */
public record ApiClient(String name, Set<Scope> scopes, String factory, String line) {

  public ApiClient {
    scopes = Set.copyOf(scopes);
  }

  /**
   * @throws DomainException 403 {@code missing-scope} unless this client holds {@code scope}
   */
  public void require(Scope scope) {
    if (!scopes.contains(scope)) {
      throw new DomainException(
          BrokerError.MISSING_SCOPE, "this credential lacks the scope " + scope.wireName());
    }
  }
}
