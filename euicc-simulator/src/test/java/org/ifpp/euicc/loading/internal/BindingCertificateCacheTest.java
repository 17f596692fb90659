package org.ifpp.euicc.loading.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.pki.BindingCertificateValidator;
import org.ifpp.crypto.pki.DevelopmentCredential;
import org.ifpp.crypto.pki.DevelopmentPki;
import org.ifpp.crypto.pki.TrustAnchors;
import org.junit.jupiter.api.Test;

class BindingCertificateCacheTest {

  static final class MutableClock extends Clock {
    Instant now = Instant.now();

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final MutableClock clock = new MutableClock();
  final DevelopmentPki pki = new DevelopmentPki(Clock.systemUTC(), new SecureRandom());
  final DevelopmentCredential ci = pki.createCi(Curve.P256, "CI");
  final DevelopmentCredential km = pki.issueBindingCertificate(ci, Curve.P256, "KM", "binding");
  final BindingCertificateCache cache =
      new BindingCertificateCache(
          BindingCertificateValidator.withoutClock(TrustAnchors.of(List.of(ci.certificate()))),
          clock,
          Duration.ofSeconds(60));

  final Instant madeToday = Instant.now();

  @Test
  void validCertificate_givesItsKey_fromTheCacheAsWell() {
    assertThat(cache.signingKeyOf(km.certificate(), madeToday)).contains(km.publicKey());
    assertThat(cache.signingKeyOf(km.certificate(), madeToday)).contains(km.publicKey());
  }

  @Test
  void certificateExpiredBeforeTheChipWasMade_isRefused_afterwardsTheChipCannotKnow() {
    Instant notAfter = km.certificate().getNotAfter().toInstant();
    assertThat(cache.signingKeyOf(km.certificate(), notAfter.plusSeconds(1))).isEmpty();
    assertThat(cache.signingKeyOf(km.certificate(), notAfter)).isPresent();
    // the host's clock past notAfter changes nothing: the chip has no trusted clock
    clock.now = notAfter.plusSeconds(3600);
    assertThat(cache.signingKeyOf(km.certificate(), madeToday)).isPresent();
  }

  @Test
  void untrustedCertificate_isRefused_evenWhenAskedTwice() {
    DevelopmentCredential other =
        pki.issueBindingCertificate(pki.createCi(Curve.P256, "X"), Curve.P256, "KM", "b");
    assertThat(cache.signingKeyOf(other.certificate(), madeToday)).isEmpty();
    assertThat(cache.signingKeyOf(other.certificate(), madeToday)).isEmpty();
  }

  @Test
  void sameEncoding_isParsedOnce_andGarbageIsNotRemembered() throws Exception {
    byte[] der = km.certificate().getEncoded();
    java.util.concurrent.atomic.AtomicInteger parses =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.function.Function<byte[], java.security.cert.X509Certificate> parser =
        b -> {
          parses.incrementAndGet();
          return b.length > 10 ? km.certificate() : null;
        };
    var first = cache.parse(der, parser);
    var second = cache.parse(der.clone(), parser);
    assertThat(first).isSameAs(second).isEqualTo(km.certificate());
    assertThat(parses).hasValue(1);
    assertThat(cache.parse(new byte[3], parser)).isNull();
    assertThat(cache.parse(new byte[3], parser)).isNull();
    assertThat(parses).hasValue(3);
    assertThat(cache.parse(null, parser)).isNull();
  }
}
