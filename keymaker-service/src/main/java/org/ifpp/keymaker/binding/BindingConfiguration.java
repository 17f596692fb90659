package org.ifpp.keymaker.binding;

import io.micrometer.core.instrument.MeterRegistry;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.hsm.HsmSigner;
import org.ifpp.keymaker.hsm.KeyEncryptionKey;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the binding workers. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BindingProperties.class)
class BindingConfiguration {

  @Bean
  BindingWorker bindingWorker(
      JdbcTemplate jdbc,
      TransactionTemplate tx,
      AuditLog audit,
      KeyEncryptionKey kek,
      HsmSigner signer,
      BindingProperties properties,
      MeterRegistry registry) {
    return new BindingWorker(jdbc, tx, audit, kek, signer, properties, registry);
  }

  @Bean
  BindingRecovery bindingRecovery(
      JdbcTemplate jdbc, TransactionTemplate tx, AuditLog audit, BindingProperties properties) {
    return new BindingRecovery(jdbc, tx, audit, properties);
  }

  @Bean
  BindingRunner bindingRunner(
      BindingWorker worker, BindingRecovery recovery, BindingProperties properties) {
    return new BindingRunner(worker, recovery, properties.workers());
  }
}
