package org.ifpp.web;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Optional;

/**
 * Who may read a service's metrics and its health components: a service that has credentials
 * declares one bean (the Key Maker: the operator token; the broker: a client with the admin scope).
 * Without a bean the actuator is not guarded (the simulator, a test tool).
 */
@FunctionalInterface
public interface ActuatorAccess {

  /** The operator behind the request's credential, or empty when there is none or it may not. */
  Optional<Principal> authenticate(HttpServletRequest request);
}
