package org.ifpp.broker.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.web.DomainException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Authenticates every {@code /api/} call by its {@code Authorization: Bearer} token: no or an
 * unknown token is 401 (problem+json) before any controller runs; where client certificates are
 * required, the TLS client certificate must name the token's client ({@link ClientCertificates}).
 * Scopes are checked per operation (403).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class BearerAuthenticationFilter extends OncePerRequestFilter {

  /** Request attribute holding the {@link ApiClient}. */
  public static final String CLIENT_ATTRIBUTE = ApiClient.class.getName();

  private final CredentialService credentials;
  private final ClientCertificates certificates;
  private final HandlerExceptionResolver resolver;

  BearerAuthenticationFilter(
      CredentialService credentials,
      ClientCertificates certificates,
      @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
    this.credentials = credentials;
    this.certificates = certificates;
    this.resolver = resolver;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/api/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (!isBearer(header)) {
      fail(request, response, BrokerError.MISSING_CREDENTIALS, "a Bearer token is required");
      return;
    }
    Optional<ApiClient> client;
    try {
      client = authenticate(header);
    } catch (RuntimeException e) {
      // The credential store does not answer (database down): 503 database-unavailable from the
      // advice, not a 401 that would tell a line its valid token was revoked.
      resolver.resolveException(request, response, null, e);
      return;
    }
    if (client.isEmpty()) {
      fail(request, response, BrokerError.INVALID_CREDENTIALS, "the token is unknown or revoked");
      return;
    }
    try {
      certificates.check(request, client.get());
    } catch (DomainException e) {
      resolver.resolveException(request, response, null, e);
      return;
    }
    request.setAttribute(CLIENT_ATTRIBUTE, client.get());
    chain.doFilter(request, response);
  }

  /**
   * The client of the request's valid Bearer token, or null (no token, or one that is not valid):
   * for callers outside the filtered paths, such as the actuator's access rule.
   */
  public ApiClient clientOf(HttpServletRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    return isBearer(header) ? authenticate(header).orElse(null) : null;
  }

  private static boolean isBearer(String header) {
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
  }

  private Optional<ApiClient> authenticate(String header) {
    String token = header.substring(7).strip();
    return token.isEmpty() || token.length() > 512
        ? Optional.empty()
        : credentials.authenticate(token);
  }

  private void fail(
      HttpServletRequest request, HttpServletResponse response, BrokerError code, String detail) {
    resolver.resolveException(request, response, null, new DomainException(code, detail));
  }
}
