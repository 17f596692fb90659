package org.ifpp.keymaker.finalisation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.ifpp.keymaker.delivery.BrokerClient;
import org.ifpp.keymaker.delivery.BrokerProperties;
import org.ifpp.keymaker.delivery.CursorFeed;
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
public class ReceiptCollector extends CursorFeed<FinalisationReceiptService.Filed> {

  private static final Logger log = LoggerFactory.getLogger(ReceiptCollector.class);

  private final BrokerClient broker;
  private final FinalisationReceiptService service;

  public ReceiptCollector(
      BrokerClient broker,
      BrokerProperties properties,
      FinalisationReceiptService service,
      TransactionTemplate tx,
      FeedCursorRepository cursors) {
    super(
        "receipt-collector",
        "finalisation receipt",
        "finalisation-receipts",
        properties,
        log,
        cursors,
        tx);
    this.broker = broker;
    this.service = service;
  }

  @Override
  protected Page<FinalisationReceiptService.Filed> page(String cursor)
      throws IOException, InterruptedException {
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
    return new Page<>(items, page.nextCursor(), page.hasMore());
  }

  @Override
  protected void decide(List<FinalisationReceiptService.Filed> items) {
    service.importReceipts("broker-pull", items);
  }
}
