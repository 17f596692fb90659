package org.ifpp.keymaker.delivery;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The outbox of bound packages (PENDING until the broker stored them, then SENT or REJECTED). The
 * binder inserts a chunk in one statement; the dispatcher leases groups by upload key.
 */
@Repository
public class OutboxRepository {

  // pg_advisory_xact_lock key of the group claim ("IFPPOUTB" in ASCII).
  private static final long CLAIM_LOCK = 0x4946505f4f555442L;

  private final JdbcClient jdbc;

  public OutboxRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * One statement for a chunk of bound packages, the columns as arrays (no per-row parameters to
   * bind and parse). All arrays have one entry per package; {@code a3Lengths} may hold nulls.
   */
  public void insertPending(
      Long[] bindingIds,
      String[] eids,
      String[] iccids,
      byte[][] transactionIds,
      byte[][] payloads,
      Integer[] a3Lengths) {
    jdbc.sql(
            "insert into outbox (binding_id, eid, iccid, transaction_id, payload, a3_length, state)"
                + " select v.binding_id, v.eid, v.iccid, v.transaction_id, v.payload, v.a3_length,"
                + " 'PENDING' from unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::bytea[],"
                + " ?::bytea[], ?::int[]) as v (binding_id, eid, iccid, transaction_id, payload,"
                + " a3_length)")
        .param(bindingIds)
        .param(eids)
        .param(iccids)
        .param(transactionIds)
        .param(payloads)
        .param(a3Lengths)
        .update();
  }

  /** Packages of a binding batch the broker has stored. */
  public long deliveredOfBatch(UUID batchId) {
    return jdbc.sql(
            "select count(*) from outbox o join bindings b on b.id = o.binding_id"
                + " where b.batch_id = ? and o.state = 'SENT'")
        .param(batchId)
        .query(Long.class)
        .single();
  }

  /** Serialises group claims for the rest of the current transaction. */
  void lockClaims() {
    jdbc.sql("select pg_advisory_xact_lock(?)").param(CLAIM_LOCK).query().listOfRows();
  }

  /** Leases the oldest group already keyed and due for a retry; its key, or null. */
  String leaseDueGroup(Instant leaseEnd) {
    return jdbc
        .sql(
            "update outbox set next_attempt_at = ? where state = 'PENDING' and upload_key = (select"
                + " upload_key from outbox where state = 'PENDING' and upload_key is not null and"
                + " next_attempt_at <= now() order by id limit 1) returning"
                + " upload_key::text")
        .param(Timestamp.from(leaseEnd))
        .query(String.class)
        .list()
        .stream()
        .findFirst()
        .orElse(null);
  }

  /** Keys and leases up to {@code limit} never-sent rows; how many were taken. */
  int leaseNewGroup(String key, Instant leaseEnd, int limit) {
    return jdbc.sql(
            "update outbox set upload_key = ?::uuid, next_attempt_at = ? where id in (select id"
                + " from outbox where state = 'PENDING' and upload_key is null order by id limit ?"
                + " for update skip locked)")
        .param(key)
        .param(Timestamp.from(leaseEnd))
        .param(limit)
        .update();
  }

  /**
   * The whole packages of a group, in id order, each with the one-time key it is bound to
   * (bppEuiccOtpk); a package bound on request is for the line that asked (its target line), any
   * other for any line of the factory.
   */
  List<BrokerClient.PackageUpload> group(String key) {
    return jdbc.sql(
            "select o.eid, o.transaction_id, "
                + OutboxPayloads.PAYLOAD
                + " as payload, (select r.line from bindings b join package_requests r"
                + " on r.batch_id = b.batch_id where b.id = o.binding_id) as target_line,"
                + " (select k.public_key from bindings b join one_time_keys k"
                + " on k.id = b.one_time_key_id where b.id = o.binding_id) as otpk from "
                + OutboxPayloads.FROM
                + " where o.upload_key = ?::uuid and o.state = 'PENDING' order by o.id")
        .param(key)
        .query(
            (rs, i) ->
                new BrokerClient.PackageUpload(
                    Eid.of(rs.getString("eid")),
                    TransactionId.of(rs.getBytes("transaction_id")),
                    rs.getString("target_line"),
                    rs.getBytes("otpk"),
                    rs.getBytes("payload")))
        .list();
  }

  int markSent(String key) {
    return jdbc.sql(
            "update outbox set state = 'SENT', sent_at = now(), attempts = attempts + 1"
                + " where upload_key = ?::uuid and state = 'PENDING'")
        .param(key)
        .update();
  }

  void markRejected(String key) {
    jdbc.sql(
            "update outbox set state = 'REJECTED', attempts = attempts + 1"
                + " where upload_key = ?::uuid and state = 'PENDING'")
        .param(key)
        .update();
  }

  int maxAttempts(String key) {
    Integer a =
        jdbc.sql("select max(attempts) from outbox where upload_key = ?::uuid")
            .param(key)
            .query(Integer.class)
            .single();
    return a == null ? 0 : a;
  }

  void postpone(String key, Instant next) {
    jdbc.sql(
            "update outbox set attempts = attempts + 1, next_attempt_at = ? where upload_key ="
                + " ?::uuid and state = 'PENDING'")
        .param(Timestamp.from(next))
        .param(key)
        .update();
  }
}
