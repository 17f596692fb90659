package org.ifpp.keymaker.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The audit chain's rows ({@code audit_log}) and its single-row head ({@code audit_head}). */
@Repository
class AuditRepository {

  /** One stored row as the chain needs it. */
  record Row(long seq, Instant at, AuditRecord record, byte[] prevHash, byte[] hash) {}

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;

  AuditRepository(JdbcClient jdbc, JdbcTemplate batch) {
    this.jdbc = jdbc;
    this.batch = batch;
  }

  /** The head, locked until the end of the transaction (appends are totally ordered). */
  AuditLog.Head lockHead() {
    return jdbc.sql("select seq, hash from audit_head where id = 1 for update")
        .query((rs, i) -> new AuditLog.Head(rs.getLong("seq"), rs.getBytes("hash")))
        .single();
  }

  AuditLog.Head head() {
    return jdbc.sql("select seq, hash from audit_head where id = 1")
        .query((rs, i) -> new AuditLog.Head(rs.getLong("seq"), rs.getBytes("hash")))
        .single();
  }

  /** Inserts rows in order (one JDBC batch, rewritten into multi-row inserts). */
  void insertAll(List<Row> rows) {
    batch.batchUpdate(
        "insert into audit_log (seq, at, actor, action, subject, details, prev_hash, hash)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?)",
        rows.stream()
            .map(
                r ->
                    new Object[] {
                      r.seq(),
                      Timestamp.from(r.at()),
                      r.record().actor(),
                      r.record().action(),
                      r.record().subject(),
                      AuditLog.details(r.record().details()),
                      r.prevHash(),
                      r.hash()
                    })
            .toList());
  }

  void moveHead(long seq, byte[] hash) {
    int updated =
        jdbc.sql("update audit_head set seq = ?, hash = ? where id = 1")
            .param(seq)
            .param(hash)
            .update();
    if (updated != 1) {
      throw new IllegalStateException("audit head missing");
    }
  }

  /** A row as stored (details unparsed, to be checked against the chain). */
  record StoredRow(
      long seq,
      Instant at,
      String actor,
      String action,
      String subject,
      String details,
      byte[] prevHash,
      byte[] hash) {}

  /** Streams every row in sequence order. */
  void forEach(Consumer<StoredRow> handler) {
    jdbc.sql(
            "select seq, at, actor, action, subject, details, prev_hash, hash from audit_log"
                + " order by seq")
        .query(
            (RowCallbackHandler)
                rs ->
                    handler.accept(
                        new StoredRow(
                            rs.getLong("seq"),
                            rs.getTimestamp("at").toInstant(),
                            rs.getString("actor"),
                            rs.getString("action"),
                            rs.getString("subject"),
                            rs.getString("details"),
                            rs.getBytes("prev_hash"),
                            rs.getBytes("hash"))));
  }

  /** The stored hash of record {@code seq}, if that record exists. */
  java.util.Optional<byte[]> hashAt(long seq) {
    return jdbc.sql("select hash from audit_log where seq = ?")
        .param(seq)
        .query(byte[].class)
        .optional();
  }
}
