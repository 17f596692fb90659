package org.ifpp.broker.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.web.DomainException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Mutual TLS where identity matters: with {@code ifpp.broker.client-certificates=required} every
 * {@code /api/} call must come over a TLS connection on which the client presented a certificate
 * (the server's {@code server.ssl.client-auth=want} or {@code need} and a trust bundle of the
 * site's client CA let the TLS layer verify its chain and dates), and that certificate's subject
 * common name must be the broker client the bearer token belongs to: a line's token sent with
 * another line's certificate is refused (403 {@code client-certificate-mismatch}); no certificate
 * is 401 {@code client-certificate-required}. A stolen token alone is then not enough.
 */
@Component
public class ClientCertificates {

  private static final String ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

  private final boolean required;

  ClientCertificates(@Value("${ifpp.broker.client-certificates:optional}") String mode) {
    this.required =
        switch (mode) {
          case "required" -> true;
          case "optional" -> false;
          default ->
              throw new IllegalArgumentException(
                  "ifpp.broker.client-certificates: required or optional, not " + mode);
        };
  }

  public boolean required() {
    return required;
  }

  /**
   * @throws DomainException {@code client-certificate-required} or {@code
   *     client-certificate-mismatch} when certificates are required and this request's does not
   *     name {@code client}
   */
  void check(HttpServletRequest request, ApiClient client) {
    if (!required) {
      return;
    }
    X509Certificate[] chain = (X509Certificate[]) request.getAttribute(ATTRIBUTE);
    if (chain == null || chain.length == 0) {
      throw new DomainException(
          BrokerError.CLIENT_CERTIFICATE_REQUIRED,
          "this broker requires a TLS client certificate naming the token's client");
    }
    String name = commonName(chain[0]);
    if (!client.name().equals(name)) {
      throw new DomainException(
          BrokerError.CLIENT_CERTIFICATE_MISMATCH,
          "the client certificate does not name the client the token belongs to");
    }
  }

  private static String commonName(X509Certificate certificate) {
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return rdn.getValue().toString();
        }
      }
      return null;
    } catch (InvalidNameException e) {
      return null;
    }
  }
}
