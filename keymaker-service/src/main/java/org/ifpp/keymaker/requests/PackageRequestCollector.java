package org.ifpp.keymaker.requests;

import java.io.IOException;
import org.ifpp.keymaker.binding.BindingRunner;
import org.ifpp.keymaker.delivery.BrokerClient;
import org.ifpp.keymaker.delivery.BrokerFeed;
import org.ifpp.keymaker.delivery.BrokerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Pulls the package requests lines sent to the broker ({@link PackageRequestService#handle}) and
 * posts the answers that are complete. The Key Maker reaches out to the broker, as for results: the
 * broker never calls it. The cursor moves after the page; a request pulled again after a crash is
 * recognised by its id and not bound again.
 */
@Component
class PackageRequestCollector extends BrokerFeed {

  private static final Logger log = LoggerFactory.getLogger(PackageRequestCollector.class);

  private final BrokerClient broker;
  private final PackageRequestService service;
  private final PackageRequestRepository repository;
  private final BindingRunner runner;
  private final TransactionTemplate tx;

  PackageRequestCollector(
      BrokerClient broker,
      BrokerProperties properties,
      PackageRequestService service,
      PackageRequestRepository repository,
      BindingRunner runner,
      TransactionTemplate tx) {
    super("package-request-collector", "package request", properties, log);
    this.broker = broker;
    this.service = service;
    this.repository = repository;
    this.runner = runner;
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
