package org.ifpp.keymaker.results;

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
 * Pulls installation results from the broker's export-since-cursor endpoint and reconciles them.
 * The cursor is stored in the same transaction as the results it covers, so a crash never skips a
 * result (and a repeat is recognised as a duplicate).
 */
@Component
public class ResultCollector extends CursorFeed<ResultService.Reported> {

  private static final Logger log = LoggerFactory.getLogger(ResultCollector.class);

  private final BrokerClient broker;
  private final ResultService service;

  public ResultCollector(
      BrokerClient broker,
      BrokerProperties properties,
      ResultService service,
      TransactionTemplate tx,
      FeedCursorRepository cursors) {
    super("result-collector", "result", "results", properties, log, cursors, tx);
    this.broker = broker;
    this.service = service;
  }

  @Override
  protected Page<ResultService.Reported> page(String cursor)
      throws IOException, InterruptedException {
    BrokerClient.ResultPage page = broker.results(cursor, 500);
    List<ResultService.Reported> items = new ArrayList<>();
    for (BrokerClient.ResultItem i : page.results()) {
      byte[] pir;
      try {
        pir = Base64.getDecoder().decode(String.valueOf(i.profileInstallationResult()));
      } catch (IllegalArgumentException e) {
        pir = new byte[0];
      }
      items.add(ResultService.Reported.of(i.transactionId(), i.eid(), pir));
    }
    return new Page<>(items, page.nextCursor(), page.hasMore());
  }

  @Override
  protected void decide(List<ResultService.Reported> items) {
    service.process("broker-pull", items);
  }
}
