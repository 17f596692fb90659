package org.ifpp.keymaker.delivery;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Where each pull from a broker feed stands ({@code broker_cursor}, the broker's opaque cursor per
 * feed). Several Key Makers may pull the same feed: a cursor only moves from the value the page was
 * pulled after ({@link #advance}), so of two instances that processed the same page one commits and
 * the other rolls back its whole page; the cursor never moves back and no page is decided twice.
 */
@Repository
public class FeedCursorRepository {

  private final JdbcClient jdbc;

  FeedCursorRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The feed's cursor (empty before its first page). */
  public Optional<String> cursor(String feed) {
    return jdbc.sql("select cursor from broker_cursor where name = ?")
        .param(feed)
        .query(String.class)
        .optional();
  }

  /**
   * Moves the feed's cursor from {@code expected} (null: none yet) to {@code next}, in the caller's
   * transaction; the row stays locked until it ends.
   *
   * @throws FeedCursorMoved if another instance moved it first (roll the page back)
   */
  public void advance(String feed, String expected, String next) {
    int n =
        expected == null
            ? jdbc.sql(
                    "insert into broker_cursor (name, cursor) values (?, ?)"
                        + " on conflict (name) do nothing")
                .param(feed)
                .param(next)
                .update()
            : jdbc.sql("update broker_cursor set cursor = ? where name = ? and cursor = ?")
                .param(next)
                .param(feed)
                .param(expected)
                .update();
    if (n != 1) {
      throw new FeedCursorMoved(feed);
    }
  }

  /** Another instance processed this page first: the caller's transaction must roll back. */
  public static final class FeedCursorMoved extends RuntimeException {
    FeedCursorMoved(String feed) {
      super("the " + feed + " cursor was moved by another instance: page rolled back");
    }
  }
}
