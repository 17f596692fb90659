package org.ifpp.keymaker.binding;

import io.micrometer.core.instrument.MeterRegistry;
import org.ifpp.crypto.ids.HostId;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.delivery.OutboxRepository;
import org.ifpp.keymaker.euiccs.OneTimeKeyRepository;
import org.ifpp.keymaker.hsm.HsmSigner;
import org.ifpp.keymaker.hsm.KeyEncryptionKey;
import org.ifpp.keymaker.instances.InstanceLease;
import org.ifpp.keymaker.instances.InstanceRepository;
import org.ifpp.keymaker.profiles.DataKeyRepository;
import org.ifpp.keymaker.profiles.ProfileJdbcRepository;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the binding workers. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BindingProperties.class)
class BindingConfiguration {

  @Bean
  Rebinding rebinding(
      BindingRepository bindings,
      ProfileJdbcRepository profiles,
      AuditLog audit,
      BindingProperties properties) {
    return new Rebinding(bindings, profiles, audit, properties.maxAttempts());
  }

  @Bean
  BindingWorker bindingWorker(
      TransactionTemplate tx,
      BindingRepository bindings,
      OneTimeKeyRepository keys,
      ProfileJdbcRepository profiles,
      DataKeyRepository dataKeys,
      OutboxRepository outbox,
      AuditLog audit,
      Rebinding rebinding,
      KeyEncryptionKey kek,
      HsmSigner signer,
      BindingProperties properties,
      InstanceLease lease,
      MeterRegistry registry) {
    return new BindingWorker(
        tx,
        new KeyReservation(bindings, keys, profiles, audit, lease),
        new PackageBuilder(profiles, dataKeys, kek, signer, HostId.ofText(properties.hostId())),
        new BindingCompletion(bindings, outbox, audit, rebinding, lease),
        properties.chunk(),
        registry);
  }

  @Bean
  BindingRecovery bindingRecovery(
      BindingRepository bindings,
      InstanceRepository instances,
      Rebinding rebinding,
      TransactionTemplate tx,
      AuditLog audit) {
    return new BindingRecovery(bindings, instances, rebinding, tx, audit);
  }

  @Bean
  BindingRunner bindingRunner(
      BindingWorker worker,
      BindingRecovery recovery,
      BindingProperties properties,
      InstanceLease lease) {
    return new BindingRunner(worker, recovery, properties.workers(), lease.heartbeat());
  }
}
