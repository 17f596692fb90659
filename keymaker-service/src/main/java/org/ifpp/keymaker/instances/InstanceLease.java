package org.ifpp.keymaker.instances;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This process among the Key Makers sharing its database: a random id per start and a lease in
 * {@code keymaker_instance}, registered before any worker starts, renewed every {@link
 * InstanceProperties#heartbeat()} and ended when the process stops cleanly. A process that dies
 * (kill -9, power cut) stops renewing; once its lease has expired, another instance recovers what
 * it left. An instance whose own lease lapsed (a long pause) finds its row gone or expired: its
 * transactions that hold the lease fail ({@link InstanceRepository#holdLease}), and the heartbeat
 * registers it again.
 */
@Component
@EnableConfigurationProperties(InstanceProperties.class)
public class InstanceLease implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(InstanceLease.class);

  private final UUID id = UUID.randomUUID();
  private final InstanceRepository instances;
  private final InstanceProperties properties;
  private ScheduledExecutorService heartbeat;

  InstanceLease(InstanceRepository instances, InstanceProperties properties) {
    this.instances = instances;
    this.properties = properties;
  }

  /** This instance's id (stored as the owner of its reservations). */
  public UUID id() {
    return id;
  }

  /** How often the lease is renewed. */
  public Duration heartbeat() {
    return properties.heartbeat();
  }

  /**
   * True if this instance's lease is valid now; it then holds until the end of the caller's
   * transaction (no recovery can take this instance's reservations meanwhile).
   */
  public boolean hold() {
    return instances.holdLease(id);
  }

  @Override
  public synchronized void start() {
    if (heartbeat != null) {
      return;
    }
    instances.register(id, properties.lease());
    log.info("key maker instance {} registered (lease {})", id, properties.lease());
    heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "instance-heartbeat");
              t.setDaemon(true);
              return t;
            });
    long every = properties.heartbeat().toMillis();
    heartbeat.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  private void renew() {
    try {
      if (!instances.renew(id, properties.lease())) {
        log.warn("instance {} lease lost (recovered by another instance): registering again", id);
        instances.register(id, properties.lease());
      }
    } catch (RuntimeException e) {
      log.warn("instance {} lease not renewed: {}", id, e.getClass().getSimpleName());
    }
  }

  @Override
  public synchronized void stop() {
    if (heartbeat == null) {
      return;
    }
    heartbeat.shutdownNow();
    heartbeat = null;
    try {
      instances.expire(id);
    } catch (RuntimeException e) {
      log.warn("instance {} lease not ended: {}", id, e.getClass().getSimpleName());
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return heartbeat != null;
  }

  @Override
  public int getPhase() {
    // Before the binding workers and feeds (MAX_VALUE - 100) start; after they stop.
    return Integer.MAX_VALUE - 200;
  }
}
