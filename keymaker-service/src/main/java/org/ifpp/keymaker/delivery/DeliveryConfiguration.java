package org.ifpp.keymaker.delivery;

import java.security.cert.CertificateEncodingException;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.hsm.HsmSigner;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Wires delivery to the broker. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BrokerProperties.class)
class DeliveryConfiguration {

  /**
   * The broker client, over TLS with the SSL bundle {@code keymaker.broker.ssl-bundle} when set
   * (its truststore: the CA that issued the broker's certificate; its keystore: the Key Maker's
   * client certificate, for a broker that requires one). Without it, the JDK's default trust.
   */
  @Bean
  BrokerClient brokerClient(
      BrokerProperties properties,
      JsonMapper json,
      SslBundles bundles,
      @Value("${keymaker.broker.ssl-bundle:}") String bundle) {
    return new BrokerClient(
        properties, json, bundle.isBlank() ? null : bundles.getBundle(bundle).createSslContext());
  }

  @Bean
  OutboxDispatcher outboxDispatcher(
      OutboxRepository outbox,
      TransactionTemplate tx,
      BrokerClient broker,
      BrokerProperties properties,
      AuditLog audit,
      HsmSigner signer) {
    return new OutboxDispatcher(
        outbox,
        tx,
        broker,
        properties,
        audit,
        () -> {
          try {
            return signer.certificateChain()[0].getEncoded();
          } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Bean
  DeliveryRunner deliveryRunner(OutboxDispatcher dispatcher, BrokerProperties properties) {
    return new DeliveryRunner(dispatcher, properties);
  }
}
