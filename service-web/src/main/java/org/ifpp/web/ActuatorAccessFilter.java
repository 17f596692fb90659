package org.ifpp.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards {@code /actuator}: metrics ({@code /actuator/metrics/**}, {@code /actuator/prometheus})
 * need an operator credential ({@link ActuatorAccess}), 401 {@code unauthenticated} without one.
 * Health stays open for the probes, and shows its components only to an authenticated operator: the
 * request then carries the operator as its user principal, which {@code
 * management.endpoint.health.show-components=when-authorized} reads.
 */
public class ActuatorAccessFilter extends OncePerRequestFilter {

  private final ActuatorAccess access;
  private final Problems problems;
  private final ProblemAdvice advice;

  public ActuatorAccessFilter(ActuatorAccess access, Problems problems, ProblemAdvice advice) {
    this.access = access;
    this.problems = problems;
    this.advice = advice;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/actuator/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String uri = request.getRequestURI();
    boolean metrics =
        uri.equals("/actuator/prometheus")
            || uri.equals("/actuator/metrics")
            || uri.startsWith("/actuator/metrics/");
    Optional<Principal> operator;
    try {
      operator =
          request.getHeader(HttpHeaders.AUTHORIZATION) == null
              ? Optional.empty()
              : access.authenticate(request);
    } catch (RuntimeException e) {
      if (!metrics) {
        chain.doFilter(request, response); // health still answers (DOWN) without its details
        return;
      }
      write(response, advice.forThrowable(e, request));
      return;
    }
    if (operator.isPresent()) {
      chain.doFilter(new Authenticated(request, operator.get()), response);
    } else if (metrics) {
      ProblemDetail p =
          problems.problem(
              WebError.UNAUTHENTICATED, "metrics need an operator credential (Bearer token)");
      response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
      write(response, problems.response(p, null));
    } else {
      chain.doFilter(request, response);
    }
  }

  private static void write(
      HttpServletResponse response, org.springframework.http.ResponseEntity<Object> answer)
      throws IOException {
    response.setStatus(answer.getStatusCode().value());
    answer.getHeaders().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.getOutputStream().write((byte[]) answer.getBody());
  }

  private static final class Authenticated extends HttpServletRequestWrapper {
    private final Principal principal;

    Authenticated(HttpServletRequest request, Principal principal) {
      super(request);
      this.principal = principal;
    }

    @Override
    public Principal getUserPrincipal() {
      return principal;
    }

    @Override
    public boolean isUserInRole(String role) {
      return true;
    }
  }
}
