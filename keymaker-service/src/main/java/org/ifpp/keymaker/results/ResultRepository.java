package org.ifpp.keymaker.results;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ifpp.crypto.ids.TransactionId;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The statements of result reconciliation: the bindings a page of results names (locked), their
 * state changes, the withdrawal of a superseded re-binding, and the broker export's cursor.
 */
@Repository
class ResultRepository {

  private final JdbcClient jdbc;

  ResultRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The binding a result names, as read (and locked) at the start of the page. */
  static final class Row {
    final long id;
    final long profileId;
    final String eid;
    final byte[] euiccCertificate;
    final String iccid;
    String state;

    Row(long id, String state, long profileId, String eid, byte[] euiccCertificate, String iccid) {
      this.id = id;
      this.state = state;
      this.profileId = profileId;
      this.eid = eid;
      this.euiccCertificate = euiccCertificate;
      this.iccid = iccid;
    }
  }

  /**
   * The bindings of these transactionIds, by upper-case hex, in one statement, locked in id order
   * (two pages that share bindings lock them in the same order).
   */
  void lockBindings(List<TransactionId> txs, Map<String, Row> into) {
    List<byte[]> ids = new ArrayList<>(txs.size());
    for (TransactionId tx : txs) {
      if (tx != null) {
        ids.add(tx.toBytes());
      }
    }
    if (ids.isEmpty()) {
      return;
    }
    jdbc.sql(
            "select b.id, b.state, b.profile_id, b.transaction_id, e.eid, e.euicc_certificate,"
                + " p.iccid from bindings b join euiccs e on e.id = b.euicc_id join profiles p on"
                + " p.id = b.profile_id where b.transaction_id = any(?) order by b.id for update"
                + " of b")
        .param(ids.toArray(byte[][]::new))
        .query(
            (RowCallbackHandler)
                rs ->
                    into.put(
                        HexFormat.of().withUpperCase().formatHex(rs.getBytes(4)),
                        new Row(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getLong(3),
                            rs.getString(5),
                            rs.getBytes(6),
                            rs.getString(7))));
  }

  /**
   * Locks the live bindings (PLANNED, RESERVED, BOUND, INSTALLED) of these profiles, in id order:
   * taken before the page writes anything, so a re-binding a success may supersede cannot move
   * under it (the binder skips locked PLANNED rows and waits on the others).
   */
  void lockLiveBindings(List<Long> profileIds) {
    if (profileIds.isEmpty()) {
      return;
    }
    jdbc.sql("select id from bindings where live_profile_id = any(?) order by id for update")
        .param(profileIds.toArray(Long[]::new))
        .query(Long.class)
        .list();
  }

  /**
   * A live binding of a profile other than {@code bindingId}.
   *
   * @param id the binding
   * @param state its state
   */
  record Live(long id, String state) {}

  Optional<Live> otherLiveBinding(long profileId, long bindingId) {
    return jdbc.sql(
            "select id, state from bindings where live_profile_id = ? and id <> ? for update")
        .params(profileId, bindingId)
        .query((rs, i) -> new Live(rs.getLong(1), rs.getString(2)))
        .optional();
  }

  /** Bindings and their profiles INSTALLED (one statement each). */
  void markInstalled(List<Long> bindingIds, List<Long> profileIds) {
    jdbc.sql(
            "update bindings set state = 'INSTALLED', result_code = 'ok', updated_at = now()"
                + " where id = any(?)")
        .param(bindingIds.toArray(Long[]::new))
        .update();
    jdbc.sql("update profiles set state = 'INSTALLED', updated_at = now() where id = any(?)")
        .param(profileIds.toArray(Long[]::new))
        .update();
  }

  void markFailed(long bindingId, String reason) {
    jdbc.sql(
            "update bindings set state = 'FAILED', result_code = ?, updated_at = now()"
                + " where id = ?")
        .params(reason, bindingId)
        .update();
  }

  /**
   * A re-binding superseded by its predecessor's verified success: ABANDONED, and its package, if
   * still waiting in the outbox, WITHDRAWN (the dispatcher sends only PENDING rows).
   *
   * @return whether a waiting package was withdrawn
   */
  boolean abandonSuperseded(long bindingId) {
    jdbc.sql(
            "update bindings set state = 'ABANDONED', result_code = 'superseded',"
                + " updated_at = now() where id = ?")
        .param(bindingId)
        .update();
    return jdbc.sql(
                "update outbox set state = 'WITHDRAWN' where binding_id = ? and state = 'PENDING'")
            .param(bindingId)
            .update()
        > 0;
  }

  /** Whether the binding's package went to the broker. */
  boolean sent(long bindingId) {
    return jdbc.sql("select count(*) from outbox where binding_id = ? and state = 'SENT'")
            .param(bindingId)
            .query(Long.class)
            .single()
        > 0;
  }
}
