package org.ifpp.keymaker.instances;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The instances' lease rows ({@code keymaker_instance}). Every time is the database's, so the
 * instances' clocks never need to agree.
 */
@Repository
public class InstanceRepository {

  private final JdbcClient jdbc;

  InstanceRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Creates the row, or renews it; false only if the database refused. */
  boolean register(UUID id, Duration lease) {
    return jdbc.sql(
                "insert into keymaker_instance (id, lease_until) values (?, now() +"
                    + " make_interval(secs => ?)) on conflict (id) do update set lease_until ="
                    + " excluded.lease_until")
            .param(id)
            .param(seconds(lease))
            .update()
        == 1;
  }

  /** Pushes the lease on; false if the row is gone (recovered by another instance). */
  boolean renew(UUID id, Duration lease) {
    return jdbc.sql(
                "update keymaker_instance set lease_until = now() + make_interval(secs => ?)"
                    + " where id = ?")
            .param(seconds(lease))
            .param(id)
            .update()
        == 1;
  }

  /** Ends the lease now (a clean stop): whatever the instance left is recoverable at once. */
  void expire(UUID id) {
    jdbc.sql("update keymaker_instance set lease_until = now() where id = ?").param(id).update();
  }

  /**
   * True if the instance's lease is valid now; its row then stays locked (FOR KEY SHARE) until the
   * end of the caller's transaction, so no recovery can take it meanwhile.
   */
  public boolean holdLease(UUID id) {
    return !jdbc.sql(
            "select 1 from keymaker_instance where id = ? and lease_until > now() for key share")
        .param(id)
        .query(Integer.class)
        .list()
        .isEmpty();
  }

  /**
   * The instances whose lease has expired, locked until the end of the caller's transaction; rows
   * another recovery or a transaction of the instance itself holds are skipped.
   */
  public List<UUID> lockExpired() {
    return jdbc.sql(
            "select id from keymaker_instance where lease_until <= now() order by id"
                + " for update skip locked")
        .query(UUID.class)
        .list();
  }

  /** Removes recovered instances' rows. */
  public void delete(List<UUID> ids) {
    jdbc.sql("delete from keymaker_instance where id = any (?::uuid[])")
        .param(ids.stream().map(UUID::toString).toArray(String[]::new))
        .update();
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
