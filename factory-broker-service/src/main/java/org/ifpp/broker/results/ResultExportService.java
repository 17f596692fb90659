package org.ifpp.broker.results;

import java.util.List;
import org.ifpp.broker.config.BrokerProperties;
import org.ifpp.broker.web.ExportCursor;
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

  private final ResultExportRepository results;
  private final BrokerProperties properties;

  ResultExportService(ResultExportRepository results, BrokerProperties properties) {
    this.results = results;
    this.properties = properties;
  }

  public ResultExportResponse export(String after, int limit, String batchId) {
    ExportCursor.checkLimit(limit, properties.maxExportPage());
    ExportCursor from = ExportCursor.after(after);
    List<ResultExportRepository.Row> rows =
        results.after(from.xid(), from.position(), batchId, limit);
    String next = from.next(rows, ResultExportRepository.Row::xid, r -> r.result().sequence());
    return new ResultExportResponse(
        rows.stream().map(ResultExportRepository.Row::result).toList(), next, rows.size() == limit);
  }
}
