package org.ifpp.keymaker.console;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The console's read-only views over the Key Maker's tables (counts, ranges, latest rows): what the
 * pages show and no API answers in one call. Writes go through the services, never here.
 */
@Repository
class ConsoleRepository {

  private final JdbcClient jdbc;

  ConsoleRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  record PoolCount(String pool, String state, long count) {}

  List<PoolCount> profileCounts() {
    return jdbc.sql(
            "select pool, state, count(*) as n from profiles group by pool, state"
                + " order by pool, state")
        .query((rs, i) -> new PoolCount(rs.getString(1), rs.getString(2), rs.getLong(3)))
        .list();
  }

  /**
   * A past import as the history shows it: stored (a profile import batch, with how many of its
   * profiles are still stored) or an audit record of its outcome ({@code PROFILE_IMPORT_REFUSED},
   * {@code EUICC_DATA_IMPORTED}, {@code EUICC_DATA_REJECTED}) with its details.
   */
  record PastImport(
      Instant at,
      String action,
      String actor,
      String subject,
      String details,
      int total,
      long stored) {}

  /** The latest profile imports: the stored ones and the refused ones, newest first. */
  List<PastImport> profileImports(int limit) {
    return jdbc.sql(
            "(select b.created_at as at, 'PROFILES_STORED' as action, null as actor,"
                + " b.id::text as subject, '' as details, b.total,"
                + " (select count(*) from profiles p where p.import_batch_id = b.id) as stored"
                + " from batches b where b.kind = 'IMPORT' order by b.created_at desc limit ?)"
                + " union all (select at, action, actor, subject, details, 0, 0 from audit_log"
                + " where action = 'PROFILE_IMPORT_REFUSED' order by seq desc limit ?)"
                + " order by at desc limit ?")
        .param(limit)
        .param(limit)
        .param(limit)
        .query(ConsoleRepository::pastImport)
        .list();
  }

  /** The latest eUICC data imports' audit records (chips stored, chips rejected), newest first. */
  List<PastImport> euiccImports(int limit) {
    return jdbc.sql(
            "select at, action, actor, subject, details, 0, 0 from audit_log"
                + " where action in ('EUICC_DATA_IMPORTED', 'EUICC_DATA_REJECTED')"
                + " order by seq desc limit ?")
        .param(limit)
        .query(ConsoleRepository::pastImport)
        .list();
  }

  private static PastImport pastImport(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
    return new PastImport(
        rs.getTimestamp(1).toInstant(),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getInt(6),
        rs.getLong(7));
  }

  /** Chips and one-time keys per EUM, the EUM named by the EID's first 8 digits (SGP.29). */
  record EumRange(
      String eum, String firstEid, String lastEid, long chips, long unused, long spent) {}

  List<EumRange> eumRanges() {
    return jdbc.sql(
            "select left(e.eid, 8), min(e.eid), max(e.eid), count(distinct e.id),"
                + " count(k.id) filter (where k.state = 'AVAILABLE'),"
                + " count(k.id) filter (where k.state <> 'AVAILABLE')"
                + " from euiccs e left join one_time_keys k on k.euicc_id = e.id"
                + " group by left(e.eid, 8) order by 1")
        .query(
            (rs, i) ->
                new EumRange(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getLong(4),
                    rs.getLong(5),
                    rs.getLong(6)))
        .list();
  }

  record BindBatch(UUID id, Instant at, int total) {}

  List<BindBatch> bindBatches(int limit) {
    return jdbc.sql(
            "select id, created_at, total from batches where kind = 'BIND'"
                + " order by created_at desc limit ?")
        .param(limit)
        .query(
            (rs, i) ->
                new BindBatch(
                    rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(), rs.getInt(3)))
        .list();
  }

  /** Delivered to the broker, no result yet: the chips the lines have not reported. */
  long unreported(UUID batchId) {
    return jdbc.sql(
            "select count(*) from bindings b join outbox o on o.binding_id = b.id"
                + " where b.batch_id = ? and b.state = 'BOUND' and o.state = 'SENT'")
        .param(batchId)
        .query(Long.class)
        .single();
  }

  /** Failed or abandoned for good: no later binding re-binds its profile. */
  long failedForGood(UUID batchId) {
    return jdbc.sql(
            "select count(*) from bindings b where b.batch_id = ?"
                + " and b.state in ('FAILED', 'ABANDONED')"
                + " and not exists (select 1 from bindings n where n.previous_binding_id = b.id)")
        .param(batchId)
        .query(Long.class)
        .single();
  }

  /**
   * A binding to reconcile: failed (with the chip's or the Key Maker's reason, and whether it was
   * re-bound already) or delivered and unreported.
   */
  record Open(
      String transactionId,
      String eid,
      String iccid,
      String state,
      int attempt,
      String reason,
      boolean rebound,
      Instant since) {}

  List<Open> reconciliation(UUID batchId, int limit) {
    return jdbc.sql(
            "select encode(b.transaction_id, 'hex'), e.eid, p.iccid, b.state, b.attempt,"
                + " b.result_code,"
                + " exists (select 1 from bindings n where n.previous_binding_id = b.id),"
                + " b.updated_at"
                + " from bindings b join euiccs e on e.id = b.euicc_id"
                + " join profiles p on p.id = b.profile_id"
                + " left join outbox o on o.binding_id = b.id"
                + " where b.batch_id = ? and (b.state = 'FAILED'"
                + " or (b.state = 'BOUND' and o.state = 'SENT'))"
                + " order by b.state desc, b.id limit ?")
        .param(batchId)
        .param(limit)
        .query(
            (rs, i) ->
                new Open(
                    rs.getString(1) == null ? null : rs.getString(1).toUpperCase(),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getInt(5),
                    rs.getString(6),
                    rs.getBoolean(7),
                    rs.getTimestamp(8).toInstant()))
        .list();
  }

  record Entry(long seq, Instant at, String actor, String action, String subject, String details) {}

  List<Entry> audit(Optional<String> action, int limit) {
    return jdbc.sql(
            "select seq, at, actor, action, subject, details from audit_log"
                + " where (cast(? as varchar) is null or action = ?) order by seq desc limit ?")
        .param(action.orElse(null))
        .param(action.orElse(null))
        .param(limit)
        .query(
            (rs, i) ->
                new Entry(
                    rs.getLong(1),
                    rs.getTimestamp(2).toInstant(),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6)))
        .list();
  }

  List<String> auditActions() {
    return jdbc.sql("select distinct action from audit_log order by action")
        .query(String.class)
        .list();
  }

  record Backlog(long pending, Instant oldest) {}

  Backlog deliveryBacklog() {
    return jdbc.sql("select count(*), min(created_at) from outbox where state = 'PENDING'")
        .query(
            (rs, i) ->
                new Backlog(
                    rs.getLong(1),
                    rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toInstant()))
        .single();
  }
}
