package org.ifpp.keymaker.results;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.ifpp.keymaker.delivery.BrokerClient;
import org.ifpp.keymaker.delivery.BrokerFeed;
import org.ifpp.keymaker.delivery.BrokerProperties;
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

  public ResultCollector(
      BrokerClient broker,
      BrokerProperties properties,
      ResultService service,
      ResultRepository repository,
      TransactionTemplate tx) {
    super("result-collector", "result", properties, log);
    this.broker = broker;
    this.service = service;
    this.repository = repository;
    this.tx = tx;
  }

  @Override
  public boolean pullOnce() throws java.io.IOException, InterruptedException {
    String cursor = repository.cursor().orElse(null);
    BrokerClient.ResultPage page = broker.results(cursor, 500);
    List<ResultService.Reported> items = new ArrayList<>();
    for (BrokerClient.ResultItem i : page.results()) {
      byte[] pir;
      try {
        pir = Base64.getDecoder().decode(String.valueOf(i.profileInstallationResult()));
      } catch (IllegalArgumentException e) {
        pir = new byte[0];
      }
      items.add(new ResultService.Reported(i.transactionId(), i.eid(), pir));
    }
    tx.executeWithoutResult(
        s -> {
          if (!items.isEmpty()) {
            service.process("broker-pull", items);
          }
          if (page.nextCursor() != null && !page.nextCursor().equals(cursor)) {
            repository.saveCursor(page.nextCursor());
          }
        });
    return page.hasMore();
  }
}
