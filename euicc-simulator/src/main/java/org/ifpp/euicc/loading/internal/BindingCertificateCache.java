package org.ifpp.euicc.loading.internal;

import java.nio.ByteBuffer;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.pki.BindingCertificateValidator;

/**
 * Remembers the outcome of the binding-certificate check (section 6 step 2) for a short time: a
 * factory sends thousands of packages with the same Key Maker certificate, and re-verifying the
 * CI's signature on it for each one costs about a sixth of a load. An entry is used only while it
 * is younger than the TTL and the certificate is still within its validity period at the clock's
 * instant, so an expired certificate is refused as soon as it expires.
 */
public final class BindingCertificateCache {

  private static final int MAX_ENTRIES = 256;

  private record Entry(Optional<EcPublicKey> key, Instant checkedAt) {}

  private final BindingCertificateValidator validator;
  private final Clock clock;
  private final Duration ttl;
  private final ConcurrentMap<ByteBuffer, Entry> entries = new ConcurrentHashMap<>();

  public BindingCertificateCache(BindingCertificateValidator validator, Clock clock, Duration ttl) {
    this.validator = validator;
    this.clock = clock;
    this.ttl = ttl;
  }

  /** The binding key of a valid certificate, or empty (as the validator answers). */
  public Optional<EcPublicKey> signingKeyOf(X509Certificate certificate) {
    Instant now = clock.instant();
    if (now.isBefore(certificate.getNotBefore().toInstant())
        || now.isAfter(certificate.getNotAfter().toInstant())) {
      return Optional.empty();
    }
    ByteBuffer id;
    try {
      id = ByteBuffer.wrap(certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      return Optional.empty();
    }
    Entry e = entries.get(id);
    if (e == null || e.checkedAt().plus(ttl).isBefore(now)) {
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear();
      }
      e = new Entry(validator.signingKeyOf(certificate), now);
      entries.put(id, e);
    }
    return e.key();
  }
}
