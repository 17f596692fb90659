package org.ifpp.keymaker.health;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Readiness answers within {@code keymaker.health.timeout} (default 1.5 s): the database check
 * ({@code db}, replacing Spring's, which waits for a pool connection as long as Hikari's
 * connection-timeout, 30 s) and the HSM check ({@code hsm}) each run bounded on their own threads.
 */
@Configuration(proxyBeanMethods = false)
public class HealthConfiguration {

  /** Daemon threads: a probe stuck in a driver or a PKCS#11 call never blocks shutdown. */
  @Bean(destroyMethod = "shutdownNow")
  ExecutorService healthCheckExecutor() {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads =
        r -> {
          Thread t = new Thread(r, "health-check-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return Executors.newCachedThreadPool(threads);
  }

  @Bean
  BoundedHealthIndicator dbHealthIndicator(
      DataSource dataSource,
      ExecutorService healthCheckExecutor,
      @Value("${keymaker.health.timeout:1500ms}") Duration timeout) {
    return new BoundedHealthIndicator(
        new DataSourceHealthIndicator(dataSource), timeout, healthCheckExecutor);
  }
}
