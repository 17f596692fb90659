package org.ifpp.euicc.loading.internal;

import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.pki.BindingCertificateValidator;

/**
 * Remembers the outcome of the binding-certificate check (section 6 step 2) for a short time: a
 * factory sends thousands of packages with the same Key Maker certificate, and re-verifying the
 * CI's signature on it for each one costs about a sixth of a load. An entry is used only while it
 * is younger than the TTL (the host's clock, for the cache's freshness only).
 *
 * <p>Time as the chip knows it (docs/rules.md section 6 step 2): a chip has no trusted clock, so
 * "valid" means the certificate had not expired when the chip was made ({@code notAfter} not before
 * the chip's manufacturing date); its {@code notBefore} and the present are unknowable to it.
 *
 * <p>The parsed certificate is also kept per distinct DER encoding ({@link #parse}): X.509 parsing
 * was a tenth of a load, and the same bytes always parse to the same (immutable) certificate. Only
 * successful parses are kept; both maps are bounded.
 */
public final class BindingCertificateCache {

  private static final int MAX_ENTRIES = 256;

  private record Entry(Optional<EcPublicKey> key, Instant checkedAt, Instant notAfter) {}

  private final BindingCertificateValidator validator;
  private final Clock clock;
  private final Duration ttl;
  // Keyed by the certificate: its equals/hashCode are over the DER encoding (hash cached, and the
  // same instance comes back from parse), so a hit costs no re-encoding.
  private final ConcurrentMap<X509Certificate, Entry> entries = new ConcurrentHashMap<>();
  private final ConcurrentMap<ByteBuffer, X509Certificate> parsed = new ConcurrentHashMap<>();

  public BindingCertificateCache(BindingCertificateValidator validator, Clock clock, Duration ttl) {
    this.validator = validator;
    this.clock = clock;
    this.ttl = ttl;
  }

  /**
   * The certificate encoded by {@code der}, parsed once per distinct encoding by {@code parser}
   * (which returns null for bytes that are not a certificate; those are not remembered).
   */
  public X509Certificate parse(byte[] der, Function<byte[], X509Certificate> parser) {
    if (der == null) {
      return null;
    }
    ByteBuffer id = ByteBuffer.wrap(der);
    X509Certificate c = parsed.get(id);
    if (c == null) {
      c = parser.apply(der);
      if (c != null) {
        if (parsed.size() >= MAX_ENTRIES) {
          parsed.clear();
        }
        // Key on a private copy: the caller's array may be reused.
        parsed.put(ByteBuffer.wrap(der.clone()), c);
      }
    }
    return c;
  }

  /**
   * The binding key of a valid certificate (as the validator answers) that had not expired at
   * {@code manufacturedAt}, the chip's manufacturing date; otherwise empty.
   */
  public Optional<EcPublicKey> signingKeyOf(X509Certificate certificate, Instant manufacturedAt) {
    Instant now = clock.instant();
    Entry e = entries.get(certificate);
    if (e == null || e.checkedAt().plus(ttl).isBefore(now)) {
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear();
      }
      // notAfter is read once per entry: BouncyCastle's certificate re-parses its ASN.1 times
      // (SimpleDateFormat) on every getNotAfter.
      e =
          new Entry(
              validator.signingKeyOf(certificate), now, certificate.getNotAfter().toInstant());
      entries.put(certificate, e);
    }
    if (e.notAfter().isBefore(manufacturedAt)) {
      return Optional.empty();
    }
    return e.key();
  }
}
