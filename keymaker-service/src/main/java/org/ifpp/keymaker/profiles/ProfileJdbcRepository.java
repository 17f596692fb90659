package org.ifpp.keymaker.profiles;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.ifpp.crypto.ids.Iccid;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The set-based statements over stored profiles, beside the JPA {@link ProfileRepository} (which
 * imports and lists them one entity at a time): what the binder reads per chunk and the state
 * changes of planning, binding and re-binding.
 */
@Repository
public class ProfileJdbcRepository {

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;

  public ProfileJdbcRepository(JdbcClient jdbc, JdbcTemplate batch) {
    this.jdbc = jdbc;
    this.batch = batch;
  }

  /**
   * How many first bytes of the protected segments the generated column {@code protected_head} (V6)
   * keeps in the row: enough for a profile's head (ICCID, name, A3 tag and length).
   */
  public static final int HEAD_PREFIX = 256;

  /**
   * What the binder needs of a profile: its ICCID, the first bytes of its protected segments (the
   * generated column {@code protected_head}, V6, kept in the row: no TOAST lookup), their full
   * length, and its PPKs as stored (wrapped).
   */
  public record StoredProfile(
      Iccid iccid,
      byte[] segmentsPrefix,
      int segmentsLength,
      int format,
      UUID dataKeyId,
      byte[] nonce,
      byte[] wrapped) {}

  /** The profiles {@code ids} for binding, by id (one statement). */
  public Map<Long, StoredProfile> forBinding(Long[] ids) {
    Map<Long, StoredProfile> rows = new HashMap<>();
    jdbc.sql(
            "select id, iccid, protected_head as segments_prefix,"
                + " octet_length(protected_segments) as segments_length,"
                + " ppk_format, ppk_data_key_id, ppk_nonce, ppk_wrapped from profiles"
                + " where id = any (?)")
        .param(ids)
        .query(
            rs -> {
              rows.put(
                  rs.getLong("id"),
                  new StoredProfile(
                      new Iccid(rs.getString("iccid")),
                      rs.getBytes("segments_prefix"),
                      rs.getInt("segments_length"),
                      rs.getInt("ppk_format"),
                      rs.getObject("ppk_data_key_id", UUID.class),
                      rs.getBytes("ppk_nonce"),
                      rs.getBytes("ppk_wrapped")));
            });
    return rows;
  }

  /** The whole protected encoding (read only when the head is longer than the stored prefix). */
  public byte[] protectedSegments(long id) {
    return jdbc.sql("select protected_segments from profiles where id = ?")
        .param(id)
        .query(byte[].class)
        .single();
  }

  /** Up to {@code n} AVAILABLE profiles of the pool, lowest id first, locked (skip locked). */
  public List<Long> lockAvailable(String pool, int n) {
    return jdbc.sql(
            "select id from profiles where pool = ? and state = 'AVAILABLE' order by id limit ?"
                + " for update skip locked")
        .param(pool)
        .param(n)
        .query(Long.class)
        .list();
  }

  /** A profile's id and state. */
  public record IdAndState(long id, String state) {}

  /** The profile with this ICCID, locked. */
  public Optional<IdAndState> lockByIccid(Iccid iccid) {
    return jdbc.sql("select id, state from profiles where iccid = ? for update")
        .param(iccid.value())
        .query((rs, i) -> new IdAndState(rs.getLong("id"), rs.getString("state")))
        .optional();
  }

  /** One statement for the batch (a JDBC batch of single-row updates costs one per profile). */
  public void allocateAll(Long[] ids) {
    jdbc.sql("update profiles set state = 'ALLOCATED', updated_at = now() where id = any (?)")
        .param(ids)
        .update();
  }

  /** Profiles whose binding could not start (no key left) are AVAILABLE again (one JDBC batch). */
  public void releaseAll(List<Long> ids) {
    batch.batchUpdate(
        "update profiles set state = 'AVAILABLE', updated_at = now() where id = ?",
        ids.stream().map(id -> new Object[] {id}).toList());
  }

  public void allocate(long id) {
    jdbc.sql("update profiles set state = 'ALLOCATED', updated_at = now() where id = ?")
        .param(id)
        .update();
  }

  public void markFailed(long id) {
    jdbc.sql("update profiles set state = 'FAILED', updated_at = now() where id = ?")
        .param(id)
        .update();
  }
}
