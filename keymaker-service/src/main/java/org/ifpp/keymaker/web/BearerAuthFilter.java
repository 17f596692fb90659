package org.ifpp.keymaker.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bearer-token authentication and role separation for {@code /api/**}: results endpoints need the
 * broker credential, everything else the operator credential. 401 without a known token, 403 with
 * the other role's token. Tokens are compared in constant time and never logged.
 */
public class BearerAuthFilter extends OncePerRequestFilter {

  private final byte[] operator;
  private final byte[] broker;

  public BearerAuthFilter(ApiProperties properties) {
    this.operator = bytes(properties.operatorToken());
    this.broker = bytes(properties.brokerToken());
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
    String header = request.getHeader("Authorization");
    Role role = null;
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      byte[] presented = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
      if (MessageDigest.isEqual(presented, operator)) {
        role = Role.OPERATOR;
      } else if (MessageDigest.isEqual(presented, broker)) {
        role = Role.BROKER;
      }
    }
    if (role == null) {
      response.setHeader("WWW-Authenticate", "Bearer");
      write(response, HttpStatus.UNAUTHORIZED, "unauthenticated", "a valid Bearer token is needed");
      return;
    }
    Role needed =
        request.getRequestURI().startsWith("/api/v1/results") ? Role.BROKER : Role.OPERATOR;
    if (role != needed) {
      write(
          response,
          HttpStatus.FORBIDDEN,
          "forbidden",
          "this credential may not call this endpoint");
      return;
    }
    request.setAttribute(Role.ATTRIBUTE, role);
    chain.doFilter(request, response);
  }

  private void write(HttpServletResponse response, HttpStatus status, String code, String detail)
      throws IOException {
    response.setStatus(status.value());
    response.setContentType("application/problem+json");
    response.getOutputStream().write(Problems.json(status, code, detail));
  }
}
