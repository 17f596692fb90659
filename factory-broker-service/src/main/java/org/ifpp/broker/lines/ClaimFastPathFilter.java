package org.ifpp.broker.lines;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.ifpp.broker.auth.ApiClient;
import org.ifpp.broker.auth.BearerAuthenticationFilter;
import org.ifpp.broker.auth.Scope;
import org.ifpp.broker.web.Headers;
import org.ifpp.crypto.ids.Eid;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The claim is the one call every chip on every line makes, so its common form skips the Spring MVC
 * dispatch (handler lookup, content negotiation, argument resolvers, message converters), which
 * measured at more than half of the broker's CPU per claim (docs/factory-broker.md, "Benchmark").
 *
 * <p>It answers {@code POST /api/v1/claims} only when the request is unambiguous: {@code
 * Content-Type: application/json}, {@code Accept} exactly {@code application/octet-stream} (claim
 * and download in one call) or {@code application/json} (the claim alone), and no {@code
 * Idempotency-Key}. Everything else (other Accept values, idempotent retries) goes on to {@link
 * LineController}, which stays the documented contract. Both run the same checks and the same
 * {@link ClaimService} statement; refusals go through the same problem+json handler.
 *
 * <p>Likewise the download of the two-call form, {@code GET /api/v1/packages/{transactionId}} with
 * hex digits only in the path and {@code Accept: application/octet-stream}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 30)
class ClaimFastPathFilter extends OncePerRequestFilter {

  static final String PATH = "/api/v1/claims";
  private static final String PACKAGES = "/api/v1/packages/";
  private static final String JSON = "application/json";
  private static final String OCTETS = "application/octet-stream";
  // A claim body is {"eid":"<32 digits>"}: larger or chunked bodies take the MVC path.
  private static final int MAX_BODY = 4096;

  private final ClaimService claims;
  private final HandlerExceptionResolver resolver;
  private final ObjectReader requestReader;
  private final ObjectWriter responseWriter;

  ClaimFastPathFilter(
      ClaimService claims,
      JsonMapper mapper,
      @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
    this.claims = claims;
    this.resolver = resolver;
    this.requestReader = mapper.readerFor(ClaimRequest.class);
    this.responseWriter = mapper.writerFor(ClaimResponse.class);
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    if ("GET".equals(request.getMethod())) {
      return downloadTransactionId(request) == null
          || !OCTETS.equals(request.getHeader("Accept"))
          || request.getAttribute(BearerAuthenticationFilter.CLIENT_ATTRIBUTE) == null;
    }
    if (!"POST".equals(request.getMethod()) || !PATH.equals(request.getRequestURI())) {
      return true;
    }
    String accept = request.getHeader("Accept");
    return !(OCTETS.equals(accept) || JSON.equals(accept))
        || !isJson(request.getContentType())
        || request.getContentLengthLong() < 0
        || request.getContentLengthLong() > MAX_BODY
        || request.getHeader(Headers.IDEMPOTENCY_KEY) != null
        || request.getAttribute(BearerAuthenticationFilter.CLIENT_ATTRIBUTE) == null;
  }

  @Override
  protected boolean shouldNotFilterErrorDispatch() {
    return true;
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semi = contentType.indexOf(';');
    String mime = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    return JSON.equals(mime.toLowerCase(Locale.ROOT));
  }

  /**
   * The hex of {@code GET /api/v1/packages/{transactionId}} when the path is exactly that with hex
   * digits only (nothing to decode, no suffix); null otherwise (then MVC handles the request).
   */
  static String downloadTransactionId(HttpServletRequest request) {
    String uri = request.getRequestURI();
    if (uri == null
        || !uri.startsWith(PACKAGES)
        || uri.length() == PACKAGES.length()
        || uri.length() > PACKAGES.length() + 64) {
      return null;
    }
    for (int i = PACKAGES.length(); i < uri.length(); i++) {
      char ch = uri.charAt(i);
      if (!(ch >= '0' && ch <= '9' || ch >= 'A' && ch <= 'F' || ch >= 'a' && ch <= 'f')) {
        return null;
      }
    }
    return uri.substring(PACKAGES.length());
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if ("GET".equals(request.getMethod())) {
      download(request, response);
      return;
    }
    try {
      ApiClient client =
          (ApiClient) request.getAttribute(BearerAuthenticationFilter.CLIENT_ATTRIBUTE);
      boolean withPackage = OCTETS.equals(request.getHeader("Accept"));
      // The order of the checks is the controller's: body first (MVC reads it before the call).
      ClaimRequest body = read(request);
      client.require(Scope.CLAIM);
      if (withPackage) {
        client.require(Scope.DOWNLOAD);
      }
      Claimant c = Claimant.of(client, request.getHeader(Headers.LINE_ID));
      Eid eid = LineController.eid(body.eid());
      if (withPackage) {
        ClaimService.ClaimedPackage claimed = claims.claimWithPackage(c, eid);
        writePackage(response, claimed);
      } else {
        ClaimResponse claim = claims.claim(c, eid);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(JSON);
        responseWriter.writeValue(response.getOutputStream(), claim);
      }
    } catch (Exception e) {
      if (response.isCommitted() || resolver.resolveException(request, response, null, e) == null) {
        throw e;
      }
    }
  }

  /** As {@link LineController#download}: the same checks, statement and refusals. */
  private void download(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    try {
      ApiClient client =
          (ApiClient) request.getAttribute(BearerAuthenticationFilter.CLIENT_ATTRIBUTE);
      client.require(Scope.DOWNLOAD);
      Claimant c = Claimant.of(client, request.getHeader(Headers.LINE_ID));
      byte[] bpp = claims.download(c, LineController.tx(downloadTransactionId(request)));
      response.setStatus(HttpServletResponse.SC_OK);
      response.setContentType(OCTETS);
      response.setContentLength(bpp.length);
      response.getOutputStream().write(bpp);
    } catch (Exception e) {
      if (response.isCommitted() || resolver.resolveException(request, response, null, e) == null) {
        throw e;
      }
    }
  }

  private ClaimRequest read(HttpServletRequest request) throws IOException {
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes(MAX_BODY);
    }
    ClaimRequest parsed = simple(body);
    if (parsed == null && body.length > 0) {
      try {
        parsed = requestReader.readValue(body);
      } catch (JacksonException e) {
        parsed = null;
      }
    }
    if (parsed == null) {
      // The same answer the MVC path gives for an unreadable body (problem code malformed-json).
      throw new HttpMessageNotReadableException(
          "request body is not a claim", new ServletServerHttpRequest(request));
    }
    return parsed;
  }

  /**
   * Reads the body every line sends, {@code {"eid":"<letters and digits>"}} with optional
   * whitespace, without Jackson (a tenth of the claim's CPU for 50 bytes); null for anything else,
   * which Jackson then reads. With no escapes or other members possible, both read the same value.
   */
  static ClaimRequest simple(byte[] b) {
    int i = skip(b, 0);
    if (i >= b.length || b[i] != '{') {
      return null;
    }
    i = skip(b, i + 1);
    if (!startsWith(b, i, EID_NAME)) {
      return null;
    }
    i = skip(b, i + EID_NAME.length);
    if (i >= b.length || b[i] != ':') {
      return null;
    }
    i = skip(b, i + 1);
    if (i >= b.length || b[i] != '"') {
      return null;
    }
    int start = ++i;
    while (i < b.length && isAlphanumeric(b[i])) {
      i++;
    }
    if (i >= b.length || b[i] != '"') {
      return null;
    }
    int end = i;
    i = skip(b, i + 1);
    if (i >= b.length || b[i] != '}' || skip(b, i + 1) != b.length) {
      return null;
    }
    return new ClaimRequest(new String(b, start, end - start, StandardCharsets.US_ASCII));
  }

  private static final byte[] EID_NAME = "\"eid\"".getBytes(StandardCharsets.US_ASCII);

  private static int skip(byte[] b, int i) {
    while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
      i++;
    }
    return i;
  }

  private static boolean startsWith(byte[] b, int i, byte[] prefix) {
    if (b.length - i < prefix.length) {
      return false;
    }
    for (int k = 0; k < prefix.length; k++) {
      if (b[i + k] != prefix[k]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlphanumeric(byte c) {
    return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
  }

  private static void writePackage(
      HttpServletResponse response, ClaimService.ClaimedPackage claimed) throws IOException {
    ClaimResponse claim = claimed.claim();
    byte[] bpp = claimed.boundProfilePackage();
    response.setStatus(HttpServletResponse.SC_OK);
    response.setHeader("X-Transaction-Id", claim.transactionId());
    response.setHeader("X-Batch-Id", claim.batchId());
    response.setHeader("X-Lease-Expires-At", claim.leaseExpiresAt().toString());
    response.setHeader("X-Claim-Count", String.valueOf(claim.claimCount()));
    response.setHeader("X-Binding-Certificate-Url", claim.bindingCertificateUrl());
    response.setContentType(OCTETS);
    response.setContentLength(bpp.length);
    ServletOutputStream out = response.getOutputStream();
    out.write(bpp);
  }
}
