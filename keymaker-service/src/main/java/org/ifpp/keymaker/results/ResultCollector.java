package org.ifpp.keymaker.results;

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
 * Pulls installation results from the broker's export-since-cursor endpoint and reconciles them.
 * The cursor is stored in the same transaction as the results it covers, so a crash never skips a
 * result (and a repeat is recognised as a duplicate).
 */
@Component
public class ResultCollector extends BrokerFeed {

  private static final Logger log = LoggerFactory.getLogger(ResultCollector.class);

  private final BrokerClient broker;
  private final ResultService service;
  private final ResultRepository repository;
  private final TransactionTemplate tx;
  private final FeedCursorRepository cursors;

  public ResultCollector(
      BrokerClient broker,
      BrokerProperties properties,
      ResultService service,
      ResultRepository repository,
      TransactionTemplate tx,
      FeedCursorRepository cursors) {
    super("result-collector", "result", properties, log);
    this.broker = broker;
    this.service = service;
    this.repository = repository;
    this.tx = tx;
    this.cursors = cursors;
  }

  @Override
  public boolean pullOnce() throws java.io.IOException, InterruptedException {
    String cursor = cursors.cursor("results").orElse(null);
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
    tx.executeWithoutResult(
        s -> {
          // The cursor first: another instance on the same page waits here, then rolls back.
          if (page.nextCursor() != null && !page.nextCursor().equals(cursor)) {
            cursors.advance("results", cursor, page.nextCursor());
          }
          if (!items.isEmpty()) {
            service.process("broker-pull", items);
          }
        });
    return page.hasMore();
  }
}
