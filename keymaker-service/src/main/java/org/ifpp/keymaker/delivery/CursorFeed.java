package org.ifpp.keymaker.delivery;

import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A broker feed whose every page is decided whole, in the transaction that moves its cursor ({@link
 * FeedCursorRepository#advance}, the cursor first): a crash never skips an item (a repeat is
 * recognised as a duplicate), and when several Key Makers pull the same page, one decides it and
 * the others roll back.
 *
 * @param <T> what the page's items become for the service that decides them
 */
public abstract class CursorFeed<T> extends BrokerFeed {

  /** One page: its items, the cursor after it and whether the broker has more. */
  public record Page<T>(List<T> items, String nextCursor, boolean hasMore) {}

  private final String cursorName;
  private final FeedCursorRepository cursors;
  private final TransactionTemplate tx;

  /**
   * @param cursorName the feed's row in {@code broker_cursor}, e.g. {@code results}
   * @see BrokerFeed#BrokerFeed
   */
  protected CursorFeed(
      String threadName,
      String feed,
      String cursorName,
      BrokerProperties properties,
      Logger log,
      FeedCursorRepository cursors,
      TransactionTemplate tx) {
    super(threadName, feed, properties, log);
    this.cursorName = cursorName;
    this.cursors = cursors;
    this.tx = tx;
  }

  /** Pulls the page after {@code cursor} (null: the first) from the broker. */
  protected abstract Page<T> page(String cursor) throws IOException, InterruptedException;

  /** Decides the page's items (not empty), inside the transaction that moves the cursor. */
  protected abstract void decide(List<T> items);

  @Override
  public final boolean pullOnce() throws IOException, InterruptedException {
    String cursor = cursors.cursor(cursorName).orElse(null);
    Page<T> page = page(cursor);
    tx.executeWithoutResult(
        s -> {
          // The cursor first: another instance on the same page waits here, then rolls back.
          if (page.nextCursor() != null && !page.nextCursor().equals(cursor)) {
            cursors.advance(cursorName, cursor, page.nextCursor());
          }
          if (!page.items().isEmpty()) {
            decide(page.items());
          }
        });
    return page.hasMore();
  }
}
