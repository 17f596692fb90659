package org.ifpp.euicc.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.ifpp.euicc.config.SimulatorProperties;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request body whose declared length could not hold a package within {@code
 * ifpp.euicc.max-package-bytes} (base64 in JSON included) before it is read into memory: 413 {@code
 * packageTooLarge}. Requests without a length are bounded again after decoding.
 */
@Component
class RequestSizeFilter extends OncePerRequestFilter {

  private final long limit;

  RequestSizeFilter(SimulatorProperties properties) {
    // base64 is 4/3 of the bytes; allow room for the certificate and the JSON around it
    this.limit = (long) properties.maxPackageBytes() * 4 / 3 + 64 * 1024;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > limit) {
      response.setStatus(413);
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      response
          .getWriter()
          .write(
              "{\"type\":\"urn:ifpp:euicc:problem:packageTooLarge\",\"title\":\"packageTooLarge\","
                  + "\"status\":413,\"detail\":\"request body exceeds "
                  + limit
                  + " bytes\",\"code\":\"packageTooLarge\"}");
      return;
    }
    chain.doFilter(request, response);
  }
}
