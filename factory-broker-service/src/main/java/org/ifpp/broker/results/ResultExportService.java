package org.ifpp.broker.results;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ifpp.broker.config.BrokerProperties;
import org.ifpp.broker.results.ResultExportResponse.InstallationResult;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.web.DomainException;
import org.ifpp.web.WebError;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The loading report feed for the Key Maker (IFPP.md section 4 step 7): every result exactly once,
 * in pages, after an opaque cursor.
 *
 * <p>Why the cursor is not just the sequence number: sequence numbers are drawn when a row is
 * inserted, not when it commits, so a reader could see 6 before 5 commits and skip 5 forever. The
 * cursor is therefore (transaction id, sequence) of the last row, and a page only returns rows of
 * transactions older than every transaction still in flight ({@code pg_snapshot_xmin}); any row
 * committed later belongs to a newer transaction and so sorts after the cursor.
 */
@Service
public class ResultExportService {

  private static final Pattern CURSOR = Pattern.compile("([0-9]{1,20})\\.([0-9]{1,19})");

  private final JdbcTemplate jdbc;
  private final BrokerProperties properties;

  ResultExportService(JdbcTemplate jdbc, BrokerProperties properties) {
    this.jdbc = jdbc;
    this.properties = properties;
  }

  private record Row(String xid, InstallationResult result) {}

  public ResultExportResponse export(String after, int limit, String batchId) {
    if (limit < 1 || limit > properties.maxExportPage()) {
      throw new DomainException(
          WebError.INVALID_PARAMETER, "limit: 1 to " + properties.maxExportPage());
    }
    String cursor = after == null || after.isEmpty() ? "0.0" : after;
    Matcher m = CURSOR.matcher(cursor);
    if (!m.matches()) {
      throw new DomainException(BrokerError.INVALID_CURSOR, "after: a cursor returned earlier");
    }
    List<Object> args = new ArrayList<>(List.of(m.group(1), Long.parseLong(m.group(2))));
    String batchFilter = "";
    if (batchId != null) {
      batchFilter = " AND b.external_id = ?";
      args.add(batchId);
    }
    args.add(limit);
    List<Row> rows =
        jdbc.query(
            "SELECT r.tx_xid::text, r.seq, r.transaction_id, r.eid, b.external_id, r.outcome,"
                + " r.pir, r.line, r.reported_at"
                + " FROM installation_result r JOIN batch b ON b.id = r.batch_id"
                + " WHERE (r.tx_xid, r.seq) > (?::xid8, ?)"
                + " AND r.tx_xid < pg_snapshot_xmin(pg_current_snapshot())"
                + batchFilter
                + " ORDER BY r.tx_xid, r.seq LIMIT ?",
            (rs, i) ->
                new Row(
                    rs.getString(1),
                    new InstallationResult(
                        rs.getLong(2),
                        TransactionId.of(rs.getBytes(3)).toHex(),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6).toLowerCase(Locale.ROOT),
                        Base64.getEncoder().encodeToString(rs.getBytes(7)),
                        rs.getString(8),
                        rs.getTimestamp(9).toInstant())),
            args.toArray());
    String next =
        rows.isEmpty()
            ? cursor
            : rows.get(rows.size() - 1).xid() + "." + rows.get(rows.size() - 1).result().sequence();
    return new ResultExportResponse(
        rows.stream().map(Row::result).toList(), next, rows.size() == limit);
  }
}
