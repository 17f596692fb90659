package org.ifpp.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PostgresChoiceTest {

  private static final String PG = "postgres:16-alpine";
  private static final String RYUK = "testcontainers/ryuk:0.13.0";
  private static final Duration BOUND = Duration.ofSeconds(5);

  /** An engine with some images present, some pullable; records the pulls it was asked for. */
  private record FakeEngine(
      boolean answers, Set<String> present, Set<String> pullable, List<String> pulls)
      implements PostgresChoice.Engine {
    FakeEngine(boolean answers, Set<String> present, Set<String> pullable) {
      this(answers, present, pullable, new ArrayList<>());
    }

    @Override
    public boolean hasImage(String image) {
      return present.contains(image);
    }

    @Override
    public boolean pull(String image, Duration timeout) {
      pulls.add(image);
      return pullable.contains(image);
    }
  }

  @Test
  void noEngine_embedded() {
    PostgresChoice c =
        PostgresChoice.choose(new FakeEngine(false, Set.of(PG), Set.of()), PG, RYUK, true, BOUND);
    assertThat(c.testcontainers()).isFalse();
    assertThat(c.reason()).isEqualTo("embedded: no Docker engine answers");
  }

  @Test
  void engineThatCannotPull_embeddedAndSaysWhichImage() {
    FakeEngine engine = new FakeEngine(true, Set.of(), Set.of());
    PostgresChoice c = PostgresChoice.choose(engine, PG, RYUK, true, BOUND);
    assertThat(c.testcontainers()).isFalse();
    assertThat(c.reason()).contains(PG).contains("could not be pulled within 5 s");
    assertThat(engine.pulls()).containsExactly(PG);
  }

  @Test
  void presentStandIn_testcontainersWithoutPulling() {
    FakeEngine engine = new FakeEngine(true, Set.of("ifpp-standin/postgres:15"), Set.of());
    PostgresChoice c = PostgresChoice.choose(engine, "ifpp-standin/postgres:15", RYUK, true, BOUND);
    assertThat(c.testcontainers()).isTrue();
    assertThat(c.image()).isEqualTo("ifpp-standin/postgres:15");
    assertThat(engine.pulls()).isEmpty();
  }

  @Test
  void pullableImage_testcontainers() {
    PostgresChoice c =
        PostgresChoice.choose(
            new FakeEngine(true, Set.of(RYUK), Set.of(PG)), PG, RYUK, false, BOUND);
    assertThat(c.testcontainers()).isTrue();
    assertThat(c.reason()).contains(PG);
  }

  @Test
  void ryukNeededButMissing_embeddedAndSaysRyuk() {
    PostgresChoice c =
        PostgresChoice.choose(new FakeEngine(true, Set.of(PG), Set.of()), PG, RYUK, false, BOUND);
    assertThat(c.testcontainers()).isFalse();
    assertThat(c.reason()).contains(RYUK);
  }
}
