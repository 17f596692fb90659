package org.ifpp.broker.results;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ifpp.broker.config.BrokerProperties;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.web.DomainException;
import org.ifpp.web.WebError;
import org.springframework.stereotype.Service;

/**
 * The loading report feed for the Key Maker (IFPP.md section 4 step 7): every result a line
 * reported (a package may have several: the Key Maker verifies each and decides) exactly once, in
 * pages, after an opaque cursor.
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

  private final ResultExportRepository results;
  private final BrokerProperties properties;

  ResultExportService(ResultExportRepository results, BrokerProperties properties) {
    this.results = results;
    this.properties = properties;
  }

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
    List<ResultExportRepository.Row> rows =
        results.after(m.group(1), Long.parseLong(m.group(2)), batchId, limit);
    String next =
        rows.isEmpty()
            ? cursor
            : rows.get(rows.size() - 1).xid() + "." + rows.get(rows.size() - 1).result().sequence();
    return new ResultExportResponse(
        rows.stream().map(ResultExportRepository.Row::result).toList(), next, rows.size() == limit);
  }
}
