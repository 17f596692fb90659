package org.ifpp.keymaker.euiccs;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The CI certificates (DER files) an eUICC's chain must lead to (DPFF10). Empty: every eUICC data
 * import is refused as untrusted.
 *
 * @param ciCertificates paths of DER CI certificates
 */
@ConfigurationProperties("keymaker.trust")
public record TrustProperties(List<Path> ciCertificates) {

  public TrustProperties {
    ciCertificates = ciCertificates == null ? List.of() : List.copyOf(ciCertificates);
  }
}
