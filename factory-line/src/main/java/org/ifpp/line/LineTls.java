package org.ifpp.line;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.ifpp.crypto.tls.PemTls;

/**
 * The line driver's TLS settings: the CA its servers' certificates must chain to and, for a broker
 * that requires client certificates, a directory with each line's {@code <line>.crt} and {@code
 * <line>.key} (what {@code ifpp pki} writes under {@code client/}), whose subject names the line.
 *
 * @param trustedCa PEM CA certificate(s); null for the JDK's default trust
 * @param clientCertificates directory of the lines' client certificates, or null for none
 */
public record LineTls(Path trustedCa, Path clientCertificates) {

  /** The JDK's default trust, no client certificate. */
  public static final LineTls DEFAULT = new LineTls(null, null);

  /** The context without a client certificate (the chips, the Key Maker), or null for defaults. */
  public SSLContext serverOnly() {
    return trustedCa == null ? null : PemTls.clientContext(trustedCa, null, null);
  }

  /** The context of line {@code name} towards the broker (its certificate, if configured). */
  public SSLContext forLine(String name) {
    if (clientCertificates == null) {
      return serverOnly();
    }
    if (trustedCa == null) {
      throw new IllegalArgumentException("client certificates need the trusted CA (--tls-ca)");
    }
    Path cert = clientCertificates.resolve(name + ".crt");
    Path key = clientCertificates.resolve(name + ".key");
    if (!Files.isReadable(cert) || !Files.isReadable(key)) {
      throw new IllegalArgumentException(
          "no client certificate and key for " + name + " in " + clientCertificates);
    }
    return PemTls.clientContext(trustedCa, cert, key);
  }
}
