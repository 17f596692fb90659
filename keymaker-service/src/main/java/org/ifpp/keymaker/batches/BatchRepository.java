package org.ifpp.keymaker.batches;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Import and binding batches: an id, a kind and the number of items it was created with. */
@Repository
public class BatchRepository {

  /** What a batch holds. */
  public enum Kind {
    IMPORT,
    BIND
  }

  private final JdbcClient jdbc;

  public BatchRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public void insert(UUID id, Kind kind, int total) {
    insert(id, kind, total, null);
  }

  /** A batch under a production order ({@code orderId} null: none). */
  public void insert(UUID id, Kind kind, int total, UUID orderId) {
    jdbc.sql(
            "insert into batches (id, kind, total, order_id) values (?, '"
                + kind.name()
                + "', ?, ?)")
        .param(id)
        .param(total)
        .param(orderId)
        .update();
  }

  public Optional<Integer> total(UUID id) {
    return jdbc.sql("select total from batches where id = ?")
        .param(id)
        .query(Integer.class)
        .optional();
  }
}
