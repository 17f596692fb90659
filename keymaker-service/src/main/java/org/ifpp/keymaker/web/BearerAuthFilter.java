package org.ifpp.keymaker.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.ifpp.web.ErrorCode;
import org.ifpp.web.Problems;
import org.ifpp.web.WebError;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bearer-token authentication and role separation for {@code /api/**}: results and loading-report
 * endpoints need the broker credential, everything else the operator credential; the auditor's
 * (optional) may only read the audit chain ({@link #auditorMay}). 401 without a known token, 403
 * with another role's token. Tokens are compared in constant time and never logged.
 */
public class BearerAuthFilter extends OncePerRequestFilter {

  private final byte[] operator;
  private final byte[] broker;
  private final byte[] auditor;
  private final Problems problems;

  public BearerAuthFilter(ApiProperties properties, Problems problems) {
    this.operator = bytes(properties.operatorToken());
    this.broker = bytes(properties.brokerToken());
    String a = properties.auditorToken();
    this.auditor = a == null || a.isEmpty() ? null : bytes(a);
    this.problems = problems;
  }

  /**
   * What the auditor's credential may call: reading the audit chain ({@code GET /api/v1/audit/**})
   * and verifying it against a checkpoint ({@code POST /api/v1/audit/verify}); nothing that changes
   * or signs anything.
   */
  static boolean auditorMay(String method, String uri) {
    return uri.startsWith("/api/v1/audit/")
        && ("GET".equals(method) || ("POST".equals(method) && uri.equals("/api/v1/audit/verify")));
  }

  private static byte[] bytes(String token) {
    if (token == null || token.length() < 16) {
      throw new IllegalStateException(
          "API tokens must be configured and at least 16 characters (keymaker.api.*)");
    }
    return token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/api/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Role role = roleOf(request);
    if (role == null) {
      response.setHeader("WWW-Authenticate", "Bearer");
      write(response, WebError.UNAUTHENTICATED, "a valid Bearer token is needed");
      return;
    }
    String uri = request.getRequestURI();
    Role needed =
        uri.startsWith("/api/v1/results") || uri.startsWith("/api/v1/loading-reports")
            ? Role.BROKER
            : Role.OPERATOR;
    boolean allowed = role == Role.AUDITOR ? auditorMay(request.getMethod(), uri) : role == needed;
    if (!allowed) {
      write(response, KeymakerError.FORBIDDEN, "this credential may not call this endpoint");
      return;
    }
    request.setAttribute(Role.ATTRIBUTE, role);
    chain.doFilter(request, response);
  }

  /** The role of the request's Bearer token, or null without a known one. */
  Role roleOf(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      byte[] presented = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
      if (MessageDigest.isEqual(presented, operator)) {
        return Role.OPERATOR;
      } else if (MessageDigest.isEqual(presented, broker)) {
        return Role.BROKER;
      } else if (auditor != null && MessageDigest.isEqual(presented, auditor)) {
        return Role.AUDITOR;
      }
    }
    return null;
  }

  private void write(HttpServletResponse response, ErrorCode error, String detail)
      throws IOException {
    response.setStatus(error.status().value());
    response.setContentType("application/problem+json");
    response.getOutputStream().write(problems.bytes(problems.problem(error, detail)));
  }
}
