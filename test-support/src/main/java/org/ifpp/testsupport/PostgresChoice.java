package org.ifpp.testsupport;

import java.time.Duration;

/**
 * Which PostgreSQL serves the tests of a JVM, and why: a Testcontainers PostgreSQL when a Docker
 * engine answers and every image it needs is present or pulls within a bounded time, otherwise the
 * embedded server. Decided on what actually works, not on a flag: an engine that answers but cannot
 * pull ({@code postgres:16-alpine} behind a registry it cannot reach) used to hang a build for
 * minutes.
 *
 * <p>The images: {@code image} (the public {@code postgres:16-alpine} by default; the environment
 * variable {@code IFPP_TEST_POSTGRES_IMAGE} or the system property {@code ifpp.test.postgres.image}
 * names another, such as the local stand-in of {@code scripts/base-images.sh}), and Testcontainers'
 * Ryuk container unless {@code TESTCONTAINERS_RYUK_DISABLED=true} (this class stops its container
 * itself at JVM exit).
 *
 * @param testcontainers whether to use Testcontainers (else the embedded server)
 * @param image the PostgreSQL image, when {@code testcontainers}
 * @param reason one sentence for the log: which and why
 */
record PostgresChoice(boolean testcontainers, String image, String reason) {

  /** What the choice needs to know about the Docker engine. */
  interface Engine {
    boolean answers();

    boolean hasImage(String image);

    /** Pulls {@code image}; false when it fails or does not finish within {@code timeout}. */
    boolean pull(String image, Duration timeout);
  }

  static PostgresChoice choose(
      Engine engine, String image, String ryukImage, boolean ryukDisabled, Duration pullTimeout) {
    if (!engine.answers()) {
      return embedded("no Docker engine answers");
    }
    String missing = missing(engine, image, pullTimeout);
    if (missing == null && !ryukDisabled) {
      missing = missing(engine, ryukImage, pullTimeout);
    }
    if (missing != null) {
      return embedded(
          "Docker answers but "
              + missing
              + " is not present and could not be pulled within "
              + pullTimeout.toSeconds()
              + " s");
    }
    return new PostgresChoice(
        true,
        image,
        "Testcontainers " + image + " (present or pulled" + (ryukDisabled ? ", Ryuk off)" : ")"));
  }

  /** The image, or null when it is present or pulls in time. */
  private static String missing(Engine engine, String image, Duration pullTimeout) {
    return engine.hasImage(image) || engine.pull(image, pullTimeout) ? null : image;
  }

  static PostgresChoice embedded(String why) {
    return new PostgresChoice(false, null, "embedded: " + why);
  }
}
