package org.ifpp.broker.lines;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.ifpp.broker.auth.ApiClient;
import org.ifpp.broker.auth.BearerAuthenticationFilter;
import org.ifpp.broker.auth.Scope;
import org.ifpp.broker.web.Headers;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.web.WebProperties;
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
 * The calls every chip on every line makes (claim with download, report) skip the Spring MVC
 * dispatch (handler lookup, content negotiation, argument resolvers, message converters) and the
 * generic filters (HTTP observation, character encoding, body-size wrapper), which together
 * measured at well over half of the broker's CPU per claim (docs/factory-broker.md, "Benchmark").
 * This filter runs first and authenticates the caller itself, with the same {@link
 * BearerAuthenticationFilter} logic; a request without a valid token goes on down the normal chain,
 * which gives the 401.
 *
 * <p>It answers only unambiguous requests:
 *
 * <ul>
 *   <li>{@code POST /api/v1/claims} with {@code Content-Type: application/json}, {@code Accept}
 *       exactly {@code application/octet-stream} (claim and download in one call) or {@code
 *       application/json} (the claim alone);
 *   <li>{@code GET /api/v1/packages/{transactionId}} (hex digits only) with {@code Accept:
 *       application/octet-stream} (the download of the two-call form);
 *   <li>{@code POST /api/v1/packages/{transactionId}/result} with {@code Content-Type} and {@code
 *       Accept} {@code application/json} (the chip's signed result);
 * </ul>
 *
 * <p>POSTs need a body of declared length within the limits below and no {@code Idempotency-Key}.
 * Everything else (other Accept values, idempotent retries, chunked bodies) goes on to {@link
 * LineController}, which stays the documented contract. Both run the same checks in the same order
 * and the same service statement; refusals go through the same problem+json handler ({@code
 * ClaimFastPathIT} compares them).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ClaimFastPathFilter extends OncePerRequestFilter {

  static final String PATH = "/api/v1/claims";
  private static final String PACKAGES = "/api/v1/packages/";
  private static final String RESULT = "/result";
  private static final String JSON = "application/json";
  private static final String OCTETS = "application/octet-stream";
  // A claim body is {"eid":"<32 digits>"}: larger or chunked bodies take the MVC path.
  private static final int MAX_BODY = 4096;
  // A report carries a signed result of at most 16 KB (LineController.MAX_PIR) in base64.
  private static final int MAX_REPORT_BODY = 32 * 1024;

  private final ClaimService claims;
  private final ReportService reports;
  private final BearerAuthenticationFilter bearer;
  private final HandlerExceptionResolver resolver;
  private final ObjectReader requestReader;
  private final ObjectReader reportReader;
  private final ObjectWriter responseWriter;
  private final ObjectWriter reportWriter;
  private final long maxBodySize;

  ClaimFastPathFilter(
      ClaimService claims,
      ReportService reports,
      BearerAuthenticationFilter bearer,
      WebProperties web,
      JsonMapper mapper,
      @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
    this.claims = claims;
    this.reports = reports;
    this.bearer = bearer;
    this.resolver = resolver;
    this.requestReader = mapper.readerFor(ClaimRequest.class);
    this.reportReader = mapper.readerFor(ReportRequest.class);
    this.responseWriter = mapper.writerFor(ClaimResponse.class);
    this.reportWriter = mapper.writerFor(ReportResponse.class);
    this.maxBodySize = web.maxBodySize().toBytes();
  }

  /** Which call a request is, when it is one this filter answers. */
  private enum Call {
    CLAIM,
    DOWNLOAD,
    REPORT
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return call(request) == null;
  }

  private Call call(HttpServletRequest request) {
    String method = request.getMethod();
    String uri = request.getRequestURI();
    String accept = request.getHeader("Accept");
    if ("GET".equals(method)) {
      return OCTETS.equals(accept) && hexAfterPackages(uri, uri.length()) != null
          ? Call.DOWNLOAD
          : null;
    }
    if (!"POST".equals(method)) {
      return null;
    }
    Call call;
    int maxBody;
    if (PATH.equals(uri)) {
      call = OCTETS.equals(accept) || JSON.equals(accept) ? Call.CLAIM : null;
      maxBody = MAX_BODY;
    } else {
      call =
          JSON.equals(accept) && uri.endsWith(RESULT) && reportTransactionId(uri) != null
              ? Call.REPORT
              : null;
      maxBody = MAX_REPORT_BODY;
    }
    long length = request.getContentLengthLong();
    return call == null
            || !isJson(request.getContentType())
            || length < 0
            || length > maxBody
            || length > maxBodySize
            || request.getHeader(Headers.IDEMPOTENCY_KEY) != null
        ? null
        : call;
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
    return uri == null ? null : hexAfterPackages(uri, uri.length());
  }

  /** The hex of {@code POST /api/v1/packages/{transactionId}/result}, as above; or null. */
  static String reportTransactionId(String uri) {
    return uri == null || !uri.endsWith(RESULT)
        ? null
        : hexAfterPackages(uri, uri.length() - RESULT.length());
  }

  private static String hexAfterPackages(String uri, int end) {
    if (!uri.startsWith(PACKAGES) || end <= PACKAGES.length() || end > PACKAGES.length() + 64) {
      return null;
    }
    for (int i = PACKAGES.length(); i < end; i++) {
      char ch = uri.charAt(i);
      if (!(ch >= '0' && ch <= '9' || ch >= 'A' && ch <= 'F' || ch >= 'a' && ch <= 'f')) {
        return null;
      }
    }
    return uri.substring(PACKAGES.length(), end);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Call call = call(request);
    ApiClient client = call == null ? null : bearer.clientOf(request);
    if (client == null) {
      chain.doFilter(request, response); // the normal chain answers (401 without a valid token)
      return;
    }
    try {
      switch (call) {
        case CLAIM -> claim(request, response, client);
        case DOWNLOAD -> download(request, response, client);
        case REPORT -> report(request, response, client);
      }
    } catch (Exception e) {
      if (response.isCommitted() || resolver.resolveException(request, response, null, e) == null) {
        throw e;
      }
    }
  }

  private void claim(HttpServletRequest request, HttpServletResponse response, ApiClient client)
      throws IOException {
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
      writePackage(response, claims.claimWithPackage(c, eid));
    } else {
      ClaimResponse claim = claims.claim(c, eid);
      response.setStatus(HttpServletResponse.SC_OK);
      response.setContentType(JSON);
      responseWriter.writeValue(response.getOutputStream(), claim);
    }
  }

  /** As {@link LineController#download}: the same checks, statement and refusals. */
  private void download(HttpServletRequest request, HttpServletResponse response, ApiClient client)
      throws IOException {
    client.require(Scope.DOWNLOAD);
    Claimant c = Claimant.of(client, request.getHeader(Headers.LINE_ID));
    byte[] bpp = claims.download(c, LineController.tx(downloadTransactionId(request)));
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(OCTETS);
    response.setContentLength(bpp.length);
    response.getOutputStream().write(bpp);
  }

  /** As {@link LineController#report} without Idempotency-Key: the same checks and statement. */
  private void report(HttpServletRequest request, HttpServletResponse response, ApiClient client)
      throws IOException {
    byte[] body = readBody(request, MAX_REPORT_BODY);
    ReportRequest parsed;
    try {
      parsed = body.length == 0 ? null : reportReader.readValue(body);
    } catch (JacksonException e) {
      parsed = null;
    }
    if (parsed == null) {
      throw new HttpMessageNotReadableException(
          "request body is not a report", new ServletServerHttpRequest(request));
    }
    LineController.CheckedReport r =
        LineController.checkReport(
            client,
            request.getHeader(Headers.LINE_ID),
            reportTransactionId(request.getRequestURI()),
            parsed);
    ReportResponse answer = reports.report(r.claimant(), r.tx(), r.outcome(), r.pir());
    byte[] json = reportWriter.writeValueAsBytes(answer);
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(JSON);
    response.setContentLength(json.length);
    response.getOutputStream().write(json);
  }

  /** The body, of the declared length (checked against {@code max} before): one exact array. */
  private static byte[] readBody(HttpServletRequest request, int max) throws IOException {
    int length = (int) Math.min(max, request.getContentLengthLong());
    byte[] body = new byte[length];
    int n;
    try (InputStream in = request.getInputStream()) {
      n = in.readNBytes(body, 0, length);
    }
    return n == length ? body : Arrays.copyOf(body, n); // cut short: the parser refuses it
  }

  private ClaimRequest read(HttpServletRequest request) throws IOException {
    byte[] body = readBody(request, MAX_BODY);
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
