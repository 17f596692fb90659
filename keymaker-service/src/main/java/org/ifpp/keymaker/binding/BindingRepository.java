package org.ifpp.keymaker.binding;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The bindings and their states (PLANNED, RESERVED, BOUND, INSTALLED, FAILED, ABANDONED). The
 * statements the binder runs per chunk are set-based: one each for the claim, the reservation and
 * RESERVED to BOUND, whatever the chunk size.
 */
@Repository
class BindingRepository {

  /**
   * The chunk's bindings RESERVED to BOUND, found by primary key only. The state guard is written
   * {@code (state = 'RESERVED') is true} on purpose: as a plain {@code state = 'RESERVED'}, the
   * statistics of the moment (taken when no binding was RESERVED) made PostgreSQL serve it from an
   * index on state, scanning every live binding per chunk (the live-binding index, ~20,000 entries
   * per chunk in the benchmark, or the batch/state index); the guard is now only a filter on the
   * rows the primary key finds.
   */
  static final String MARK_BOUND =
      "update bindings b set state = 'BOUND', updated_at = now() from unnest(?::bigint[]) as v (id)"
          + " where b.id = v.id and (b.state = 'RESERVED') is true";

  /** A claimed PLANNED binding (typed rows: no column-name map per row on the hot path). */
  record Planned(long id, int attempt, long profileId, long euiccId, Eid eid, Curve curve) {}

  /** What re-planning needs of a binding. */
  record Attempt(UUID batchId, long profileId, long euiccId, int attempt) {}

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;

  BindingRepository(JdbcClient jdbc, JdbcTemplate batch) {
    this.jdbc = jdbc;
    this.batch = batch;
  }

  /** Claims up to {@code limit} PLANNED bindings, lowest id first ({@code SKIP LOCKED}). */
  List<Planned> claimPlanned(int limit) {
    return jdbc.sql(
            "select b.id, b.attempt, b.profile_id, b.euicc_id, e.eid, e.curve from bindings b"
                + " join euiccs e on e.id = b.euicc_id where b.planned order by b.id"
                + " limit ? for update of b skip locked")
        .param(limit)
        .query(
            (rs, i) ->
                new Planned(
                    rs.getLong(1),
                    rs.getInt(2),
                    rs.getLong(3),
                    rs.getLong(4),
                    Eid.of(rs.getString(5)),
                    Curve.valueOf(rs.getString(6))))
        .list();
  }

  /** Bindings whose chip has no key left: FAILED (one JDBC batch; a rare path). */
  void failWithoutKey(List<Long> ids) {
    batch.batchUpdate(
        "update bindings set state = 'FAILED', result_code = 'no-one-time-key',"
            + " updated_at = now() where id = ?",
        ids.stream().map(id -> new Object[] {id}).toList());
  }

  /**
   * One statement for the chunk: each binding RESERVED by {@code owner} with its key and
   * transactionId.
   */
  void reserve(UUID owner, Long[] keyIds, byte[][] transactionIds, Long[] ids) {
    jdbc.sql(
            "update bindings b set state = 'RESERVED', one_time_key_id = v.key_id,"
                + " transaction_id = v.tx_id, reserved_by = ?, updated_at = now()"
                + " from unnest(?::bigint[], ?::bytea[], ?::bigint[]) as v (key_id, tx_id, id)"
                + " where b.id = v.id")
        .param(owner)
        .param(keyIds)
        .param(transactionIds)
        .param(ids)
        .update();
  }

  /** One statement for the chunk (see {@link #MARK_BOUND}). */
  void markBound(Long[] ids) {
    jdbc.sql(MARK_BOUND).param(ids).update();
  }

  void markFailed(long id, String code) {
    jdbc.sql(
            "update bindings set state = 'FAILED', result_code = ?, updated_at = now() where id = ?")
        .param(code)
        .param(id)
        .update();
  }

  void markAbandoned(long id, String code) {
    jdbc.sql(
            "update bindings set state = 'ABANDONED', result_code = ?, updated_at = now()"
                + " where id = ?")
        .param(code)
        .param(id)
        .update();
  }

  Optional<Attempt> attempt(long id) {
    return jdbc.sql("select batch_id, profile_id, euicc_id, attempt from bindings where id = ?")
        .param(id)
        .query(
            (rs, i) ->
                new Attempt(
                    rs.getObject("batch_id", UUID.class),
                    rs.getLong("profile_id"),
                    rs.getLong("euicc_id"),
                    rs.getInt("attempt")))
        .optional();
  }

  /** A new PLANNED binding after {@code previous}; its id. */
  long insertReplanned(Attempt previous, long previousId) {
    return jdbc.sql(
            "insert into bindings (batch_id, profile_id, euicc_id, state, attempt,"
                + " previous_binding_id) values (?, ?, ?, 'PLANNED', ?, ?) returning id")
        .param(previous.batchId())
        .param(previous.profileId())
        .param(previous.euiccId())
        .param(previous.attempt() + 1)
        .param(previousId)
        .query(Long.class)
        .single();
  }

  /** The BOUND binding with this transactionId, locked. */
  Optional<Long> lockBoundByTransaction(TransactionId transactionId) {
    return jdbc.sql(
            "select id from bindings where transaction_id = ? and state = 'BOUND' for update")
        .param(transactionId.toBytes())
        .query(Long.class)
        .optional();
  }

  /**
   * RESERVED bindings of the given (expired) instances, and with {@code unowned} those reserved
   * before instances had leases (no owner), locked. Runs only when there is something to recover:
   * it reads the live bindings (no index on state or owner, so RESERVED to BOUND stays HOT).
   */
  List<Long> lockReservedBy(List<UUID> owners, boolean unowned) {
    return jdbc.sql(
            "select id from bindings where live_profile_id is not null and state = 'RESERVED'"
                + " and (reserved_by = any (?::uuid[]) or (? and reserved_by is null))"
                + " order by id for update")
        .param(owners.stream().map(UUID::toString).toArray(String[]::new))
        .param(unowned)
        .query(Long.class)
        .list();
  }

  /** One statement for a batch: the pairs as two arrays, in request order (claims go by id). */
  void insertPlanned(UUID batchId, Long[] profileIds, Long[] euiccIds) {
    jdbc.sql(
            "insert into bindings (batch_id, profile_id, euicc_id, state, attempt)"
                + " select ?, v.profile_id, v.euicc_id, 'PLANNED', 1 from unnest(?::bigint[],"
                + " ?::bigint[]) with ordinality as v (profile_id, euicc_id, n) order by v.n")
        .param(batchId)
        .param(profileIds)
        .param(euiccIds)
        .update();
  }

  /** PLANNED bindings per eUICC id (chips without any are absent). */
  Map<Long, Long> plannedCounts(Long[] euiccIds) {
    Map<Long, Long> out = new LinkedHashMap<>();
    jdbc.sql(
            "select euicc_id, count(*) as n from bindings where planned"
                + " and euicc_id = any (?) group by euicc_id")
        .param(euiccIds)
        .query(
            rs -> {
              out.put(rs.getLong("euicc_id"), rs.getLong("n"));
            });
    return out;
  }

  /** A batch's bindings by state (states without bindings are absent). */
  Map<String, Long> stateCounts(UUID batchId) {
    Map<String, Long> out = new LinkedHashMap<>();
    jdbc.sql("select state, count(*) as n from bindings where batch_id = ? group by state")
        .param(batchId)
        .query(
            rs -> {
              out.put(rs.getString("state"), rs.getLong("n"));
            });
    return out;
  }
}
