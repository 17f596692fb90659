package org.ifpp.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a query string Tomcat could not decode (a {@code %00}, a broken percent-escape): Tomcat
 * drops such a parameter silently, so {@code ?state=%00} would read as "no filter" and answer an
 * unfiltered list. 400 {@code invalid-parameter} instead. Requests without a query string (the hot
 * paths) pass untouched.
 */
public class UnparsableParameterFilter extends OncePerRequestFilter {

  /** Tomcat's request attribute (Globals.PARAMETER_PARSE_FAILED_ATTR). */
  static final String PARSE_FAILED = "org.apache.catalina.parameter_parse_failed";

  private final byte[] refusal;

  public UnparsableParameterFilter(Problems problems) {
    this.refusal =
        problems.bytes(
            problems.problem(
                WebError.INVALID_PARAMETER, "a query parameter is not a valid percent-encoding"));
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return request.getQueryString() == null;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    request.getParameterNames(); // makes Tomcat parse the query string now
    if (request.getAttribute(PARSE_FAILED) != null || hasControlCharacter(request)) {
      response.setStatus(WebError.INVALID_PARAMETER.status().value());
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      response.setContentLength(refusal.length);
      response.getOutputStream().write(refusal);
      return;
    }
    chain.doFilter(request, response);
  }

  /** No parameter of our APIs holds a control character; a NUL is an attack, not a value. */
  private static boolean hasControlCharacter(HttpServletRequest request) {
    for (String[] values : request.getParameterMap().values()) {
      for (String v : values) {
        for (int i = 0; i < v.length(); i++) {
          if (v.charAt(i) < 0x20) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
