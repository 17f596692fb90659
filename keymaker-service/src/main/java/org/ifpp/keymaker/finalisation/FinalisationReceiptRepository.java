package org.ifpp.keymaker.finalisation;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.ifpp.crypto.ids.Eid;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The stored, verified finalisation receipts, and the finalisation state of chips. */
@Repository
public class FinalisationReceiptRepository {

  private final JdbcClient jdbc;

  public FinalisationReceiptRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** One chip's state: its latest verified receipt, if any. */
  public record ChipRow(
      Eid eid,
      Long counter,
      Long oneTimeKeysDeleted,
      Instant receivedAt,
      long receipts,
      String refusal) {}

  /**
   * Stores a verified receipt.
   *
   * @return false if the chip's receipt for this counter is already stored
   */
  boolean insert(long euiccId, long counter, long deleted, byte[] receipt) {
    return jdbc.sql(
                "insert into finalisation_receipts"
                    + " (euicc_id, counter, one_time_keys_deleted, receipt) values (?, ?, ?, ?)"
                    + " on conflict (euicc_id, counter) do nothing")
            .param(euiccId)
            .param(counter)
            .param(deleted)
            .param(receipt)
            .update()
        == 1;
  }

  /** Records the latest receipt refused for a registered chip (its code only). */
  void refuse(long euiccId, String code) {
    jdbc.sql(
            "insert into finalisation_receipt_refusals (euicc_id, code) values (?, ?)"
                + " on conflict (euicc_id) do update set code = excluded.code, refused_at = now()")
        .param(euiccId)
        .param(code)
        .update();
  }

  private static final String CHIP_STATE =
      "select e.eid, r.counter, r.one_time_keys_deleted, r.received_at,"
          + " (select count(*) from finalisation_receipts c where c.euicc_id = e.id) as receipts,"
          + " (select x.code from finalisation_receipt_refusals x where x.euicc_id = e.id)"
          + " as refusal"
          + " from euiccs e left join lateral (select counter, one_time_keys_deleted, received_at"
          + " from finalisation_receipts f where f.euicc_id = e.id order by counter desc limit 1) r"
          + " on true";

  /** The state of the chips among {@code eids} that are registered, by EID. */
  List<ChipRow> chips(Collection<Eid> eids) {
    return jdbc.sql(CHIP_STATE + " where e.eid = any (?) order by e.eid")
        .param(eids.stream().map(Eid::value).toArray(String[]::new))
        .query(FinalisationReceiptRepository::row)
        .list();
  }

  /** The state of every chip bound in batch {@code batchId}. */
  List<ChipRow> chipsOfBatch(UUID batchId) {
    return jdbc.sql(
            CHIP_STATE
                + " where e.id in (select b.euicc_id from bindings b where b.batch_id = ?)"
                + " order by e.eid")
        .param(batchId)
        .query(FinalisationReceiptRepository::row)
        .list();
  }

  private static ChipRow row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
    long counter = rs.getLong("counter");
    boolean none = rs.wasNull();
    java.sql.Timestamp at = rs.getTimestamp("received_at");
    return new ChipRow(
        Eid.of(rs.getString("eid")),
        none ? null : counter,
        none ? null : rs.getLong("one_time_keys_deleted"),
        at == null ? null : at.toInstant(),
        rs.getLong("receipts"),
        rs.getString("refusal"));
  }
}
