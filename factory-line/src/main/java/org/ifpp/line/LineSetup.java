package org.ifpp.line;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ifpp.line.broker.BrokerClient;
import org.ifpp.line.broker.BrokerFailover;
import org.ifpp.line.chip.ChipClient;
import org.ifpp.line.http.ApacheHttpTransport;
import org.ifpp.line.http.Http;
import org.ifpp.line.http.RetryPolicy;
import org.ifpp.line.run.ProductionRun;

/**
 * Builds the clients of a set of production lines: one broker client per line credential, a shared
 * chip client. Broker calls are retried (the broker's claim and report are idempotent); a chip load
 * is sent once (see {@link ChipClient}).
 */
public final class LineSetup {

  private LineSetup() {}

  /** The lines and the chip station they share. */
  public record Lines(List<ProductionRun.Line> lines, ChipClient chips, Http brokerHttp) {}

  /**
   * The lines over TLS: every server checked against {@code tls}'s CA; towards the broker, each
   * line with its own client certificate when {@code tls} has them (then each line has its own
   * connection pool, since a TLS connection carries one client identity). Line {@code i} prefers
   * broker {@code i mod n} of {@code brokers} and fails over to the others ({@link
   * BrokerFailover}).
   */
  public static Lines build(
      List<URI> brokers,
      URI chipsUrl,
      List<LineCredential> credentials,
      String authScheme,
      int attempts,
      Duration timeout,
      boolean idempotencyKeys,
      LineTls tls) {
    // One keep-alive connection per station and service.
    ApacheHttpTransport client =
        new ApacheHttpTransport(
            Duration.ofSeconds(5),
            Math.max(64, credentials.size() * 16),
            Duration.ofSeconds(20),
            tls.serverOnly());
    RetryPolicy brokerPolicy =
        new RetryPolicy(attempts, timeout, Duration.ofMillis(100), Duration.ofSeconds(2));
    Http brokerHttp = new Http(client, brokerPolicy);
    Http chipHttp =
        new Http(client, new RetryPolicy(1, timeout.multipliedBy(3), Duration.ZERO, Duration.ZERO));
    List<ProductionRun.Line> lines = new ArrayList<>();
    for (int i = 0; i < credentials.size(); i++) {
      LineCredential c = credentials.get(i);
      Http lineHttp =
          tls.clientCertificates() == null
              ? brokerHttp
              : new Http(
                  new ApacheHttpTransport(
                      Duration.ofSeconds(5), 64, Duration.ofSeconds(20), tls.forLine(c.name())),
                  brokerPolicy);
      lines.add(
          new ProductionRun.Line(
              c.name(),
              new BrokerClient(
                  lineHttp,
                  BrokerFailover.forLine(brokers, i),
                  c.authorization(authScheme),
                  c.name(),
                  idempotencyKeys)));
    }
    return new Lines(lines, new ChipClient(chipHttp, chipsUrl), brokerHttp);
  }

  /** Reads {@code NAME=SECRET} lines (blank lines and # comments skipped). */
  public static List<LineCredential> readCredentials(Path file) throws IOException {
    List<LineCredential> out = new ArrayList<>();
    for (String l : Files.readAllLines(file)) {
      if (!l.isBlank() && !l.startsWith("#")) {
        out.add(LineCredential.parse(l));
      }
    }
    return out;
  }
}
