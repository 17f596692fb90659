package org.ifpp.keymaker.hsm;

import java.nio.charset.StandardCharsets;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness of the HSM: signs a probe with the binding key (the signer verifies it) and wraps and
 * unwraps a probe with the KEK. Down when either fails, so a load balancer stops sending work.
 */
public final class HsmHealthIndicator implements HealthIndicator {

  private static final byte[] PROBE = "ifpp-keymaker-health".getBytes(StandardCharsets.US_ASCII);

  private final HsmSigner signer;
  private final KeyEncryptionKey kek;

  public HsmHealthIndicator(HsmSigner signer, KeyEncryptionKey kek) {
    this.signer = signer;
    this.kek = kek;
  }

  @Override
  public Health health() {
    try {
      signer.sign(PROBE);
      try (var secret = org.ifpp.crypto.secret.SecretBytes.copyOf(new byte[16]);
          var back = kek.unwrap(kek.wrap(secret, PROBE), PROBE)) {
        if (!back.equals(secret)) {
          return Health.down().withDetail("kek", "round trip mismatch").build();
        }
      }
      return Health.up()
          .withDetail("signatures", signer.signatureCount())
          .withDetail("invalidSignaturesRetried", signer.invalidSignatureCount())
          .build();
    } catch (RuntimeException e) {
      return Health.down().withDetail("error", e.getClass().getSimpleName()).build();
    }
  }
}
