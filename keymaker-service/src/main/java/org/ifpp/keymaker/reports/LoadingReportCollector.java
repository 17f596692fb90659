package org.ifpp.keymaker.reports;

import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.ifpp.keymaker.delivery.BrokerClient;
import org.ifpp.keymaker.delivery.BrokerFeed;
import org.ifpp.keymaker.delivery.BrokerProperties;
import org.ifpp.keymaker.delivery.FeedCursorRepository;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.web.DomainException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pulls the loading reports lines submitted to the broker and reconciles each ({@link
 * LoadingReportService}). A report the Key Maker refuses (incomplete, unknown order, another
 * factory's) is audited with its code and passed over: the factory corrects it and submits it
 * again. The cursor moves after the page, so a crash never skips a report; a report processed again
 * after a crash is stored again, and its signed entries come back DUPLICATE: nothing is decided
 * twice.
 */
@Component
public class LoadingReportCollector extends BrokerFeed {

  private static final Logger log = LoggerFactory.getLogger(LoadingReportCollector.class);

  private final BrokerClient broker;
  private final LoadingReportService service;
  private final AuditLog audit;
  private final TransactionTemplate tx;
  private final FeedCursorRepository cursors;
  private final JsonMapper json = JsonMapper.builder().build();

  LoadingReportCollector(
      BrokerClient broker,
      BrokerProperties properties,
      LoadingReportService service,
      AuditLog audit,
      TransactionTemplate tx,
      FeedCursorRepository cursors) {
    super("loading-report-collector", "loading report", properties, log);
    this.broker = broker;
    this.service = service;
    this.audit = audit;
    this.tx = tx;
    this.cursors = cursors;
  }

  @Override
  public boolean pullOnce() throws java.io.IOException, InterruptedException {
    String cursor = cursors.cursor("loading-reports").orElse(null);
    BrokerClient.LoadingReportPage page = broker.loadingReports(cursor, 10);
    for (BrokerClient.LoadingReportItem item : page.reports()) {
      try {
        LoadingReport report = json.treeToValue(item.report(), LoadingReport.class);
        tx.executeWithoutResult(s -> service.receive("broker-pull", item.factory(), report));
      } catch (DomainException e) {
        refused(item, e.code(), String.valueOf(e.getMessage()));
      } catch (JacksonException e) {
        // Not a report at all (an id of the wrong type, a list where an object belongs): refused
        // on its own like any bad report, never a page that cannot move.
        refused(
            item,
            KeymakerError.INVALID_LOADING_REPORT.code(),
            "not an " + LoadingReport.FORMAT + " document");
      }
    }
    if (page.nextCursor() != null && !page.nextCursor().equals(cursor)) {
      tx.executeWithoutResult(s -> cursors.advance("loading-reports", cursor, page.nextCursor()));
    }
    return page.hasMore();
  }

  private void refused(BrokerClient.LoadingReportItem item, String code, String detail) {
    tx.executeWithoutResult(
        s ->
            audit.append(
                AuditRecord.of(
                    "broker-pull",
                    "LOADING_REPORT_REFUSED",
                    String.valueOf(item.orderId()),
                    "code",
                    code,
                    "detail",
                    detail)));
    log.warn("loading report {} refused: {}", item.id(), code);
  }
}
