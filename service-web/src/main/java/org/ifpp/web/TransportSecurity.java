package org.ifpp.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * HTTPS unless plain HTTP is asked for by name: a service whose web server has no TLS configured
 * ({@code server.ssl.bundle}, docs/operations.md "TLS") refuses to start, unless {@code
 * ifpp.web.plain-http=true}, and then it logs a warning at start-up. The factory network is hostile
 * (docs/threat-model.md): a bearer token or a package on a plain connection is readable by anyone
 * on the path.
 */
final class TransportSecurity implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

  private static final Logger log = LoggerFactory.getLogger(TransportSecurity.class);

  private final boolean plainHttpAllowed;

  TransportSecurity(boolean plainHttpAllowed) {
    this.plainHttpAllowed = plainHttpAllowed;
  }

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    check(factory.getSsl());
  }

  void check(Ssl ssl) {
    if (Ssl.isEnabled(ssl)) {
      return;
    }
    if (!plainHttpAllowed) {
      throw new IllegalStateException(
          "no TLS configured: set server.ssl.bundle to a Spring SSL bundle with the server's"
              + " certificate and key (docs/operations.md, TLS), or ifpp.web.plain-http=true to"
              + " serve plain HTTP");
    }
    log.warn(
        "serving PLAIN HTTP (ifpp.web.plain-http=true): tokens and packages cross the network"
            + " unencrypted; use only on a closed test host");
  }
}
