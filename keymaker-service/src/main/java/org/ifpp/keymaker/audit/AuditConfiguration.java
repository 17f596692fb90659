package org.ifpp.keymaker.audit;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ifpp.keymaker.hsm.HsmSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Wires the signed checkpoints of the audit chain and their periodic publication. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CheckpointProperties.class)
class AuditConfiguration {

  private static final Logger log = LoggerFactory.getLogger(AuditConfiguration.class);

  @Bean
  AuditCheckpoints auditCheckpoints(
      AuditLog audit,
      HsmSigner signer,
      CheckpointProperties properties,
      JsonMapper json,
      Clock clock) {
    return new AuditCheckpoints(
        audit, signer, new CheckpointFile(properties.directory(), json), properties, clock);
  }

  /** Looks at the head every {@link CheckpointProperties#poll()}; a failed round is retried. */
  @Bean
  SmartLifecycle auditCheckpointScheduler(
      AuditCheckpoints checkpoints, CheckpointProperties properties) {
    return new SmartLifecycle() {
      private ScheduledExecutorService executor;

      @Override
      public synchronized void start() {
        executor =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "audit-checkpoints");
                  t.setDaemon(true);
                  return t;
                });
        long poll = properties.poll().toMillis();
        executor.scheduleWithFixedDelay(
            () -> {
              try {
                checkpoints.maybeCheckpoint();
              } catch (RuntimeException e) {
                log.warn("audit checkpoint not made: {}", e.getClass().getSimpleName());
              }
            },
            poll,
            poll,
            TimeUnit.MILLISECONDS);
      }

      @Override
      public synchronized void stop() {
        if (executor != null) {
          executor.shutdownNow();
          executor = null;
        }
      }

      @Override
      public synchronized boolean isRunning() {
        return executor != null;
      }
    };
  }
}
