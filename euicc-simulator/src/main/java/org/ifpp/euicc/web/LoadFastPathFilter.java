package org.ifpp.euicc.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.config.SimulatorProperties;
import org.ifpp.euicc.loading.LoadOutcome;
import org.ifpp.euicc.loading.PackageLoader;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * The whole-package load is the one call a production line makes per chip (IFPP.md section 6), so
 * its common form skips the Spring MVC dispatch (handler lookup, content negotiation, argument
 * resolvers, message converters), which cost more than the chip's own cryptography per load
 * (docs/euicc-simulator.md, "Benchmark").
 *
 * <p>It answers {@code POST /api/v1/chips/{eid}/loads} only in the form factory-line sends: {@code
 * Content-Type} and {@code Accept} both exactly {@code application/octet-stream}, a declared body
 * length between 1 and {@code ifpp.euicc.max-package-bytes}, an EID of letters and digits only.
 * Everything else (JSON, other Accept values, chunked, empty or oversized bodies, which {@code
 * RequestSizeFilter} and the controller bound) goes on to {@link LoadController}, which stays the
 * documented contract. Both run the same checks in the same order and the same {@code
 * PackageLoader} call; refusals go through the same problem+json handler ((the shared
 * ProblemAdvice)). {@code ifpp.euicc.load-fast-path=false} turns it off (to measure it).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 30)
@ConditionalOnProperty(
    name = "ifpp.euicc.load-fast-path",
    havingValue = "true",
    matchIfMissing = true)
class LoadFastPathFilter extends OncePerRequestFilter {

  private static final String PREFIX = "/api/v1/chips/";
  private static final String SUFFIX = "/loads";
  private static final String OCTETS = "application/octet-stream";
  // Longer than any EID (32 digits); anything longer is left to MVC and EidPathParser.
  private static final int MAX_EID_CHARS = 64;

  private final PackageLoader loader;
  private final HandlerExceptionResolver resolver;
  private final long maxBody;

  LoadFastPathFilter(
      PackageLoader loader,
      SimulatorProperties properties,
      @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
    this.loader = loader;
    this.resolver = resolver;
    this.maxBody = properties.maxPackageBytes();
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    long length = request.getContentLengthLong();
    return !"POST".equals(request.getMethod())
        || pathEid(request) == null
        || !OCTETS.equals(request.getContentType())
        || !OCTETS.equals(request.getHeader("Accept"))
        || length < 1
        || length > maxBody;
  }

  @Override
  protected boolean shouldNotFilterErrorDispatch() {
    return true;
  }

  /**
   * The EID text of {@code /api/v1/chips/{eid}/loads} when the path is exactly that with letters
   * and digits only (nothing to decode, no matrix parameters); null otherwise.
   */
  static String pathEid(HttpServletRequest request) {
    String uri = request.getRequestURI();
    if (uri == null
        || !request.getContextPath().isEmpty()
        || !uri.startsWith(PREFIX)
        || !uri.endsWith(SUFFIX)) {
      return null;
    }
    int start = PREFIX.length();
    int end = uri.length() - SUFFIX.length();
    if (end <= start || end - start > MAX_EID_CHARS) {
      return null;
    }
    for (int i = start; i < end; i++) {
      char ch = uri.charAt(i);
      if (!(ch >= '0' && ch <= '9' || ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z')) {
        return null;
      }
    }
    return uri.substring(start, end);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    // MVC reads the body before the controller runs; so does this.
    byte[] bpp = read(request, (int) request.getContentLengthLong());
    try {
      // The order of the checks is LoadController.loadRaw's; the size limit holds already (the
      // declared length is within it and the container reads no more than declared).
      Eid id = EidPathParser.parse(pathEid(request));
      byte[] cert =
          Base64Field.decode(
              LoadController.BINDING_CERTIFICATE_HEADER,
              request.getHeader(LoadController.BINDING_CERTIFICATE_HEADER));
      write(response, loader.load(id, bpp, cert));
    } catch (Exception e) {
      if (response.isCommitted() || resolver.resolveException(request, response, null, e) == null) {
        throw e;
      }
    }
  }

  private static byte[] read(HttpServletRequest request, int length) throws IOException {
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes(length);
    }
    if (body.length != length) {
      throw new EOFException("request body ended early");
    }
    return body;
  }

  /** As {@link LoadController#answer} for {@code Accept: application/octet-stream}. */
  private static void write(HttpServletResponse response, LoadOutcome o) throws IOException {
    byte[] pir = o.profileInstallationResult();
    response.setStatus(HttpServletResponse.SC_OK);
    response.setHeader("X-Ifpp-Result", o.installed() ? "installed" : "rejected");
    response.setHeader(
        "X-Ifpp-Remaining-One-Time-Keys", Integer.toString(o.remainingOneTimeKeys()));
    o.errorReason().ifPresent(r -> response.setHeader("X-Ifpp-Error-Reason", r));
    o.iccid().ifPresent(i -> response.setHeader("X-Ifpp-Iccid", i.value()));
    response.setContentType(OCTETS);
    response.setContentLength(pir.length);
    response.getOutputStream().write(pir);
  }
}
