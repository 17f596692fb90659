package org.ifpp.keymaker.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.ifpp.keymaker.delivery.FeedCursorRepository.FeedCursorMoved;
import org.ifpp.testsupport.TestPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two Key Makers pulling the same broker feed: the cursor moves only from the value a page was
 * pulled after, so the second instance to finish the same page fails (its page rolls back) instead
 * of moving the cursor back or deciding the page twice.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FeedCursorRepositoryIT {

  private FeedCursorRepository cursors;
  private TransactionTemplate tx;
  private JdbcClient jdbc;

  @BeforeEach
  void database() {
    TestPostgres.Database db = TestPostgres.newDatabase("keymaker_cursor");
    DriverManagerDataSource ds =
        new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password());
    Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    jdbc = JdbcClient.create(ds);
    cursors = new FeedCursorRepository(jdbc);
    tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
  }

  @Test
  void samePageTwice_theSecondIsRefused_andTheCursorNeverMovesBack() {
    tx.executeWithoutResult(s -> cursors.advance("results", null, "10.1"));
    assertThatThrownBy(() -> tx.executeWithoutResult(s -> cursors.advance("results", null, "10.1")))
        .isInstanceOf(FeedCursorMoved.class);
    tx.executeWithoutResult(s -> cursors.advance("results", "10.1", "12.7"));
    assertThatThrownBy(
            () -> tx.executeWithoutResult(s -> cursors.advance("results", "10.1", "12.7")))
        .isInstanceOf(FeedCursorMoved.class);
    assertThat(cursors.cursor("results")).contains("12.7");
    assertThat(cursors.cursor("finalisation-receipts")).isEmpty();
  }

  @Test
  void concurrentPages_theLaterWaitsForTheFirst_thenRollsBackItsOwnWrites() throws Exception {
    tx.executeWithoutResult(s -> cursors.advance("results", null, "1.1"));
    jdbc.sql("create table page_effect (instance text)").update();
    CountDownLatch firstAdvanced = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    CompletableFuture<Void> first =
        CompletableFuture.runAsync(
            () ->
                tx.executeWithoutResult(
                    s -> {
                      cursors.advance("results", "1.1", "2.5");
                      jdbc.sql("insert into page_effect values ('first')").update();
                      firstAdvanced.countDown();
                      await(releaseFirst);
                    }));
    await(firstAdvanced);
    CompletableFuture<Void> second =
        CompletableFuture.runAsync(
            () ->
                tx.executeWithoutResult(
                    s -> {
                      jdbc.sql("insert into page_effect values ('second')").update();
                      cursors.advance("results", "1.1", "2.5");
                    }));
    // The second waits on the cursor row while the first's page is open.
    Awaitility.await()
        .during(java.time.Duration.ofMillis(500))
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> !second.isDone());
    releaseFirst.countDown();
    first.get(30, TimeUnit.SECONDS);
    assertThatThrownBy(() -> second.get(30, TimeUnit.SECONDS))
        .hasCauseInstanceOf(FeedCursorMoved.class);
    assertThat(cursors.cursor("results")).contains("2.5");
    assertThat(jdbc.sql("select instance from page_effect").query(String.class).list())
        .containsExactly("first");
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
