package org.ifpp.keymaker.profiles;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ifpp.keymaker.hsm.WrappedSecret;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The import batches' PPK data keys, stored only wrapped under the HSM's KEK (V3). */
@Repository
public class DataKeyRepository {

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;

  public DataKeyRepository(JdbcClient jdbc, JdbcTemplate batch) {
    this.jdbc = jdbc;
    this.batch = batch;
  }

  /** Rows of (id, nonce, wrapped, kek label), one JDBC batch. */
  void insertAll(List<Object[]> rows) {
    batch.batchUpdate(
        "insert into ppk_data_keys (id, nonce, wrapped, kek_label) values (?, ?, ?, ?)", rows);
  }

  /** The wrapped data keys of {@code ids} (one statement). */
  public Map<UUID, WrappedSecret> wrapped(String[] ids) {
    Map<UUID, WrappedSecret> out = new HashMap<>();
    if (ids.length == 0) {
      return out;
    }
    jdbc.sql("select id, nonce, wrapped from ppk_data_keys where id = any (?::uuid[])")
        .param(ids)
        .query(
            rs -> {
              out.put(
                  rs.getObject("id", UUID.class),
                  new WrappedSecret(rs.getBytes("nonce"), rs.getBytes("wrapped")));
            });
    return out;
  }
}
