package org.ifpp.keymaker.delivery;

import java.security.cert.CertificateEncodingException;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.hsm.HsmSigner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Wires delivery to the broker. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BrokerProperties.class)
class DeliveryConfiguration {

  @Bean
  BrokerClient brokerClient(BrokerProperties properties, JsonMapper json) {
    return new BrokerClient(properties, json);
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
