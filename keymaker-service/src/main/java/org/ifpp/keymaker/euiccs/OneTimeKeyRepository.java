package org.ifpp.keymaker.euiccs;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ifpp.crypto.ids.Eid;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The eUICCs' one-time public keys: stored AVAILABLE at import, marked SPENT once by a binding and
 * never offered again (GENS08). Set-based statements, one per chunk where the chunk has many keys.
 */
@Repository
public class OneTimeKeyRepository {

  /** A one-time key just marked SPENT. */
  public record SpentKey(long id, long euiccId, int keyIndex, byte[] publicKey) {}

  private static final RowMapper<SpentKey> SPENT_KEY =
      (rs, i) ->
          new SpentKey(
              rs.getLong("id"),
              rs.getLong("euicc_id"),
              rs.getInt("key_index"),
              rs.getBytes("public_key"));

  private final JdbcClient jdbc;

  public OneTimeKeyRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores keys AVAILABLE in one statement (arrays of equal length, one element per key). */
  void insertAvailable(long[] euiccIds, int[] keyIndexes, byte[][] publicKeys) {
    jdbc.sql(
            "insert into one_time_keys (euicc_id, key_index, public_key, state)"
                + " select e, i, k, 'AVAILABLE' from unnest(?::bigint[], ?::int[], ?::bytea[])"
                + " as t (e, i, k)")
        .param(euiccIds)
        .param(keyIndexes)
        .param(publicKeys)
        .update();
  }

  /** The keys among {@code publicKeys} (uncompressed points) already stored, in any state. */
  Set<ByteBuffer> existing(byte[][] publicKeys) {
    Set<ByteBuffer> out = new HashSet<>();
    jdbc.sql("select public_key from one_time_keys where public_key = any (?)")
        .param(publicKeys)
        .query(
            rs -> {
              out.add(ByteBuffer.wrap(rs.getBytes(1)));
            });
    return out;
  }

  /**
   * One statement: marks SPENT, per eUICC, as many of its lowest AVAILABLE keys as asked for (keys
   * locked by a concurrent reservation are skipped, so a chip may get fewer).
   */
  public List<SpentKey> spendLowest(Long[] euiccIds, Integer[] counts) {
    return jdbc.sql(
            "with wanted (euicc_id, n) as (select * from unnest(?::bigint[], ?::int[])),"
                + " picked as (select k.id from wanted w cross join lateral (select id from"
                + " one_time_keys where euicc_id = w.euicc_id and state = 'AVAILABLE' order by"
                + " key_index limit w.n for update skip locked) k)"
                + " update one_time_keys t set state = 'SPENT', spent_at = now() from picked"
                + " where t.id = picked.id returning t.id, t.euicc_id, t.key_index, t.public_key")
        .param(euiccIds)
        .param(counts)
        .query(SPENT_KEY)
        .list();
  }

  /** Marks the chip's lowest unlocked AVAILABLE key SPENT; empty if none is free right now. */
  public List<SpentKey> spendOne(long euiccId) {
    return jdbc.sql(
            "update one_time_keys set state = 'SPENT', spent_at = now() where id = (select id"
                + " from one_time_keys where euicc_id = ? and state = 'AVAILABLE' order by"
                + " key_index limit 1 for update skip locked) returning id, euicc_id, key_index,"
                + " public_key")
        .param(euiccId)
        .query(SPENT_KEY)
        .list();
  }

  public long countAvailable(long euiccId) {
    return jdbc.sql("select count(*) from one_time_keys where euicc_id = ? and state = 'AVAILABLE'")
        .param(euiccId)
        .query(Long.class)
        .single();
  }

  /** AVAILABLE keys per eUICC id (chips without any are absent). */
  public Map<Long, Long> availableCounts(Long[] euiccIds) {
    Map<Long, Long> out = new HashMap<>();
    jdbc.sql(
            "select euicc_id, count(*) as n from one_time_keys where state = 'AVAILABLE'"
                + " and euicc_id = any (?) group by euicc_id")
        .param(euiccIds)
        .query(
            rs -> {
              out.put(rs.getLong("euicc_id"), rs.getLong("n"));
            });
    return out;
  }

  /** Available and spent keys of one chip. */
  public record KeyCounts(long available, long spent) {}

  public KeyCounts counts(Eid eid) {
    return jdbc.sql(
            "select count(*) filter (where k.state = 'AVAILABLE') as available,"
                + " count(*) filter (where k.state = 'SPENT') as spent"
                + " from one_time_keys k join euiccs e on e.id = k.euicc_id where e.eid = ?")
        .param(eid.value())
        .query((rs, i) -> new KeyCounts(rs.getLong("available"), rs.getLong("spent")))
        .single();
  }
}
