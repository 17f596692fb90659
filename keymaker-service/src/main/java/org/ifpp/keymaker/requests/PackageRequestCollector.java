package org.ifpp.keymaker.requests;

import java.io.IOException;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.ifpp.keymaker.binding.BindingRunner;
import org.ifpp.keymaker.delivery.BrokerClient;
import org.ifpp.keymaker.delivery.BrokerFeed;
import org.ifpp.keymaker.delivery.BrokerProperties;
import org.ifpp.web.DomainException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Pulls the package requests lines sent to the broker ({@link PackageRequestService#handle}) and
 * posts the answers that are complete. The Key Maker reaches out to the broker, as for results: the
 * broker never calls it. The cursor moves after the page; a request pulled again after a crash is
 * recognised by its id and not bound again. A request that cannot be answered (its ids do not
 * parse) is refused on its own and audited ({@code PACKAGE_REQUEST_REFUSED}); a database that does
 * not answer leaves the page to be pulled again.
 */
@Component
class PackageRequestCollector extends BrokerFeed {

  private static final Logger log = LoggerFactory.getLogger(PackageRequestCollector.class);

  private final BrokerClient broker;
  private final PackageRequestService service;
  private final PackageRequestRepository repository;
  private final BindingRunner runner;
  private final AuditLog audit;
  private final TransactionTemplate tx;

  PackageRequestCollector(
      BrokerClient broker,
      BrokerProperties properties,
      PackageRequestService service,
      PackageRequestRepository repository,
      BindingRunner runner,
      AuditLog audit,
      TransactionTemplate tx) {
    super("package-request-collector", "package request", properties, log);
    this.broker = broker;
    this.service = service;
    this.repository = repository;
    this.runner = runner;
    this.audit = audit;
    this.tx = tx;
  }

  @Override
  public boolean pullOnce() throws IOException, InterruptedException {
    String cursor = repository.cursor().orElse(null);
    BrokerClient.PackageRequestPage page = broker.packageRequests(cursor, 10);
    for (BrokerClient.PackageRequestItem item : page.requests()) {
      try {
        if (service.handle(item) != null) {
          runner.wakeUp();
        }
      } catch (DomainException e) {
        // A request the Key Maker cannot answer (its ids do not parse): refused on its own and
        // recorded, the feed goes on.
        tx.executeWithoutResult(
            s ->
                audit.append(
                    AuditRecord.of(
                        "broker-pull",
                        "PACKAGE_REQUEST_REFUSED",
                        String.valueOf(item.requestId()),
                        "code",
                        e.code(),
                        "line",
                        String.valueOf(item.line()))));
        log.warn("package request {} refused: {}", item.requestId(), e.code());
      } catch (DataAccessException e) {
        throw e; // the database, not the request: the page is pulled again later, nothing skipped
      } catch (RuntimeException e) {
        // A request the broker's shape check let through but that cannot be read (never expected):
        // passed over, its line sees it PENDING; the cursor must not stall the other lines.
        log.warn("package request {} not handled: {}", item.requestId(), e.toString());
      }
    }
    if (page.nextCursor() != null && !page.nextCursor().equals(cursor)) {
      tx.executeWithoutResult(s -> repository.saveCursor(page.nextCursor()));
    }
    boolean answered = service.answerReady(broker) > 0;
    return page.hasMore() || (answered && !repository.open().isEmpty());
  }
}
