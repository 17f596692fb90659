package org.ifpp.broker.auth;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.ifpp.broker.auth.CredentialService.ClientView;
import org.ifpp.broker.auth.CredentialService.IssuedCredential;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.web.DomainException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Client and credential management without a restart (scope {@code admin}). Issued tokens appear in
 * the response only; these calls take no Idempotency-Key because replaying one would mean storing a
 * token.
 */
@RestController
@RequestMapping(path = "/api/v1/admin/clients", produces = "application/json")
@Tag(name = "admin", description = "clients and credentials")
class ClientAdminController {

  private final CredentialService credentials;

  ClientAdminController(CredentialService credentials) {
    this.credentials = credentials;
  }

  /** A new client's name, scopes and binding. */
  record CreateClientRequest(String name, List<String> scopes, String factory, String line) {}

  @PostMapping(consumes = "application/json")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Create a client and issue its first token")
  IssuedCredential create(
      @Parameter(hidden = true) ApiClient caller, @RequestBody CreateClientRequest request) {
    caller.require(Scope.ADMIN);
    return credentials.create(
        request.name(), scopes(request.scopes()), request.factory(), request.line(), null);
  }

  @PostMapping("/{name}/rotate")
  @Operation(summary = "Issue a new token and revoke the previous ones at once")
  IssuedCredential rotate(@Parameter(hidden = true) ApiClient caller, @PathVariable String name) {
    caller.require(Scope.ADMIN);
    return credentials.rotate(name);
  }

  @PostMapping("/{name}/disable")
  @Operation(summary = "Disable a client: all its tokens are refused from now on")
  ClientView disable(@Parameter(hidden = true) ApiClient caller, @PathVariable String name) {
    caller.require(Scope.ADMIN);
    return credentials.disable(name);
  }

  @GetMapping
  @Operation(summary = "List clients (never tokens)")
  List<ClientView> list(@Parameter(hidden = true) ApiClient caller) {
    caller.require(Scope.ADMIN);
    return credentials.list();
  }

  private static Set<Scope> scopes(List<String> names) {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    if (names != null) {
      for (String n : names) {
        try {
          scopes.add(Scope.parse(n == null ? "" : n));
        } catch (IllegalArgumentException e) {
          throw new DomainException(BrokerError.INVALID_SCOPES, "unknown scope");
        }
      }
    }
    return scopes;
  }
}
