package org.ifpp.keymaker.finalisation;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.ifpp.keymaker.delivery.BrokerClient;
import org.ifpp.keymaker.delivery.BrokerFeed;
import org.ifpp.keymaker.delivery.BrokerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Pulls the chips' finalisation receipts the lines reported to the broker and verifies them (the
 * same {@link FinalisationReceiptService#importReceipts} as the operator's import). The cursor is
 * stored in the same transaction as the receipts it covers, so a crash never skips one (a repeat is
 * a DUPLICATE).
 */
@Component
public class ReceiptCollector implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ReceiptCollector.class);

  private final BrokerClient broker;
  private final BrokerProperties properties;
  private final FinalisationReceiptService service;
  private final FinalisationReceiptRepository repository;
  private final TransactionTemplate tx;
  private final BrokerFeed feed;

  public ReceiptCollector(
      BrokerClient broker,
      BrokerProperties properties,
      FinalisationReceiptService service,
      FinalisationReceiptRepository repository,
      TransactionTemplate tx) {
    this.broker = broker;
    this.properties = properties;
    this.service = service;
    this.repository = repository;
    this.tx = tx;
    this.feed =
        new BrokerFeed(
            "receipt-collector",
            "finalisation receipt",
            properties.resultsInterval(),
            this::pullOnce,
            log);
  }

  /**
   * Pulls and verifies one page.
   *
   * @return true if the broker has more
   */
  public boolean pullOnce() throws java.io.IOException, InterruptedException {
    String cursor = repository.cursor().orElse(null);
    BrokerClient.ReceiptPage page = broker.finalisationReceipts(cursor, 500);
    List<FinalisationReceiptService.Filed> items = new ArrayList<>();
    for (BrokerClient.ReceiptItem i : page.receipts()) {
      byte[] receipt;
      try {
        receipt = Base64.getDecoder().decode(String.valueOf(i.receipt()));
      } catch (IllegalArgumentException e) {
        receipt = new byte[0]; // refused as receipt-malformed, and audited
      }
      items.add(new FinalisationReceiptService.Filed(i.eid(), receipt));
    }
    tx.executeWithoutResult(
        s -> {
          if (!items.isEmpty()) {
            service.importReceipts("broker-pull", items);
          }
          if (page.nextCursor() != null && !page.nextCursor().equals(cursor)) {
            repository.saveCursor(page.nextCursor());
          }
        });
    return page.hasMore();
  }

  @Override
  public void start() {
    if (properties.enabled()) {
      feed.start();
    }
  }

  @Override
  public void stop() {
    feed.stop();
  }

  @Override
  public boolean isRunning() {
    return feed.isRunning();
  }
}
