package org.ifpp.keymaker.finalisation;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.ifpp.keymaker.delivery.BrokerClient;
import org.ifpp.keymaker.delivery.BrokerFeed;
import org.ifpp.keymaker.delivery.BrokerProperties;
import org.ifpp.keymaker.delivery.FeedCursorRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Pulls the chips' finalisation receipts the lines reported to the broker and verifies them (the
 * same {@link FinalisationReceiptService#importReceipts} as the operator's import). The cursor is
 * stored in the same transaction as the receipts it covers, so a crash never skips one (a repeat is
 * a DUPLICATE).
 */
@Component
public class ReceiptCollector extends BrokerFeed {

  private static final Logger log = LoggerFactory.getLogger(ReceiptCollector.class);

  private final BrokerClient broker;
  private final FinalisationReceiptService service;
  private final FinalisationReceiptRepository repository;
  private final TransactionTemplate tx;
  private final FeedCursorRepository cursors;

  public ReceiptCollector(
      BrokerClient broker,
      BrokerProperties properties,
      FinalisationReceiptService service,
      FinalisationReceiptRepository repository,
      TransactionTemplate tx,
      FeedCursorRepository cursors) {
    super("receipt-collector", "finalisation receipt", properties, log);
    this.broker = broker;
    this.service = service;
    this.repository = repository;
    this.tx = tx;
    this.cursors = cursors;
  }

  /** Pulls and verifies one page. */
  @Override
  public boolean pullOnce() throws java.io.IOException, InterruptedException {
    String cursor = cursors.cursor("finalisation-receipts").orElse(null);
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
          // The cursor first: another instance on the same page waits here, then rolls back.
          if (page.nextCursor() != null && !page.nextCursor().equals(cursor)) {
            cursors.advance("finalisation-receipts", cursor, page.nextCursor());
          }
          if (!items.isEmpty()) {
            service.importReceipts("broker-pull", items);
          }
        });
    return page.hasMore();
  }
}
