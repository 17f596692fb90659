package org.ifpp.broker.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Optional;
import org.ifpp.web.ActuatorAccess;
import org.springframework.stereotype.Component;

/** Metrics and health components are for a client holding the admin scope. */
@Component
class AdminActuatorAccess implements ActuatorAccess {

  private final BearerAuthenticationFilter bearer;

  AdminActuatorAccess(BearerAuthenticationFilter bearer) {
    this.bearer = bearer;
  }

  @Override
  public Optional<Principal> authenticate(HttpServletRequest request) {
    ApiClient client = bearer.clientOf(request);
    return client != null && client.scopes().contains(Scope.ADMIN)
        ? Optional.of(client::name)
        : Optional.empty();
  }
}
