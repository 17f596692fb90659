package org.ifpp.keymaker.hsm;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.ifpp.keymaker.health.BoundedHealthIndicator;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the PKCS#11 token, the binding signer, the KEK and the HSM readiness check. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HsmProperties.class)
class HsmConfiguration {

  @Bean
  Pkcs11Token pkcs11Token(HsmProperties properties) {
    return Pkcs11Token.open(properties);
  }

  @Bean
  HsmSigner hsmSigner(Pkcs11Token token, MeterRegistry registry) {
    HsmSigner signer = new HsmSigner(token);
    Timer timer =
        Timer.builder("keymaker.hsm.sign")
            .description("binding signatures made in the HSM (each verified)")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    signer.onLatency(n -> timer.record(n, TimeUnit.NANOSECONDS));
    FunctionCounter.builder("keymaker.hsm.sign.invalid", signer, HsmSigner::invalidSignatureCount)
        .description("invalid signatures returned by the HSM and retried (SoftHSM #901)")
        .register(registry);
    return signer;
  }

  @Bean
  KeyEncryptionKey keyEncryptionKey(Pkcs11Token token) {
    return new KeyEncryptionKey(token);
  }

  /** The HSM probe, bounded: a token that does not answer makes readiness DOWN in time. */
  @Bean
  BoundedHealthIndicator hsmHealthIndicator(
      HsmSigner signer,
      KeyEncryptionKey kek,
      ExecutorService healthCheckExecutor,
      @Value("${keymaker.health.timeout:1500ms}") Duration timeout) {
    return new BoundedHealthIndicator(
        new HsmHealthIndicator(signer, kek), timeout, healthCheckExecutor);
  }
}
