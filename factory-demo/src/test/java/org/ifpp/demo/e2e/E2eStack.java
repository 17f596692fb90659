package org.ifpp.demo.e2e;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.ifpp.crypto.tls.DevelopmentTlsPki;
import org.ifpp.line.LineCredential;
import org.ifpp.line.LineSetup;
import org.ifpp.line.LineTls;
import org.ifpp.line.http.ApacheHttpTransport;
import org.ifpp.testsupport.ChildServerPort;
import org.ifpp.testsupport.TestPostgres;

/**
 * The three services as separate processes, as scripts/demo.sh runs them: a real PostgreSQL
 * (test-support's TestPostgres, one database per service), a real SoftHSM token made by
 * scripts/softhsm-token.sh with the Key Maker's keys bootstrapped into it, and the services' own
 * Boot jars started with {@code java -jar}. Secrets are random per run and passed in the
 * environment.
 */
final class E2eStack implements AutoCloseable {

  static final String FACTORY = "e2e-factory";

  final Path root;
  final Path dir;
  final String operatorToken = secret();
  final List<LineCredential> lines = new ArrayList<>();
  final ServiceProcess simulator;
  final ServiceProcess broker;

  /** A second broker on the same database (two of each), or null. */
  final ServiceProcess broker2;

  private final Map<String, String> brokerEnv;
  private final List<ServiceProcess> started = new ArrayList<>();
  private final SSLContext trust;
  final ServiceProcess keyMaker;
  final TestPostgres.Database brokerDb;

  /** The stack's development TLS PKI ({@code ifpp pki}'s layout) and the clients' view of it. */
  final Path tls;

  final LineTls lineTls;

  /**
   * The stack's lines as the demo builds them (bearer tokens, 5 s per call, TLS with each line's
   * client certificate), line {@code i} on broker {@code i mod n} of {@code brokers}.
   */
  LineSetup.Lines lines(int attempts, List<URI> brokers) {
    return LineSetup.build(
        brokers, simulator.url(), lines, "bearer", attempts, Duration.ofSeconds(5), false, lineTls);
  }

  E2eStack(Path dir, int lineCount) throws Exception {
    this(dir, lineCount, false);
  }

  /**
   * @param secondBroker start a second broker on the same database as well (while the others start:
   *     on a loaded machine one started later took over 3 minutes)
   */
  E2eStack(Path dir, int lineCount, boolean secondBroker) throws Exception {
    this.root = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    this.dir = dir;
    Files.createDirectories(dir.resolve("logs"));
    String pin = secret();
    String brokerTokenForKeyMaker = secret();
    for (int i = 1; i <= lineCount; i++) {
      lines.add(new LineCredential("line-" + i, secret()));
    }
    // TLS on every hop, client certificates at the broker (as scripts/demo.sh runs it).
    tls = dir.resolve("tls");
    Instant from = Instant.now().minus(Duration.ofHours(1));
    Instant to = Instant.now().plus(Duration.ofDays(1));
    List<String> clients = new ArrayList<>(List.of("keymaker"));
    lines.forEach(l -> clients.add(l.name()));
    DevelopmentTlsPki.create("e2e CA", from, to)
        .writeLayout(tls, DevelopmentTlsPki.DEFAULT_SERVERS, clients, from, to);
    lineTls = new LineTls(tls.resolve("ca.crt"), tls.resolve("client"));
    trust = lineTls.serverOnly();

    // SoftHSM token and the Key Maker's keys (development CI).
    Path tokenDir = dir.resolve("softhsm");
    String conf =
        run(
                dir.resolve("logs/softhsm.log"),
                Map.of("KEYMAKER_HSM_PIN", pin),
                "bash",
                root.resolve("scripts/softhsm-token.sh").toString(),
                "--dir",
                tokenDir.toString(),
                "--label",
                "e2e",
                "--pin-env",
                "KEYMAKER_HSM_PIN")
            .strip();
    Map<String, String> hsmEnv = Map.of("SOFTHSM2_CONF", conf, "KEYMAKER_HSM_PIN", pin);
    ServiceConfig kmConfig = ServiceConfig.read(root, "keymaker");
    List<String> bootstrap = new ArrayList<>(List.of("java"));
    bootstrap.addAll(kmConfig.javaExtraOptions());
    bootstrap.addAll(
        List.of(
            "-Dloader.main=org.ifpp.keymaker.bootstrap.BootstrapCommand",
            "-cp",
            jar("keymaker-service").toString(),
            "org.springframework.boot.loader.launch.PropertiesLauncher",
            "--token-label",
            "e2e",
            "--ci-out",
            dir.resolve("pki").toString(),
            "--cert-out",
            dir.resolve("pki/binding-certificate.der").toString()));
    run(dir.resolve("logs/keymaker-bootstrap.log"), hsmEnv, bootstrap.toArray(String[]::new));

    TestPostgres.Database keyMakerDb = TestPostgres.newDatabase("e2e_keymaker");
    brokerDb = TestPostgres.newDatabase("e2e_broker");

    // What is started before a later step fails is stopped again: a half-built stack is never
    // closed by its test, and its JVMs would outlive the run.
    try {
      ServiceConfig simConfig = ServiceConfig.read(root, "euicc-simulator");
      simulator =
          started(
              new ServiceProcess(
                      "euicc-simulator",
                      simConfig.command(
                          jar("euicc-simulator"),
                          withTls(
                              serverTls("euicc-simulator"),
                              ChildServerPort.ANY_PORT,
                              "--ifpp.euicc.state-dir=" + dir.resolve("euicc-state"),
                              "--ifpp.euicc.fsync=false",
                              "--ifpp.euicc.trusted-ci-certificates=" + dir.resolve("pki/ci.der"))),
                      simConfig.environment(),
                      dir.resolve("logs/euicc-simulator.log"),
                      trust)
                  .start());

      ServiceConfig brokerConfig = ServiceConfig.read(root, "broker");
      brokerEnv = new LinkedHashMap<>(brokerConfig.environment());
      brokerEnv.put("SPRING_DATASOURCE_URL", brokerDb.jdbcUrl());
      brokerEnv.put("SPRING_DATASOURCE_USERNAME", brokerDb.username());
      brokerEnv.put("SPRING_DATASOURCE_PASSWORD", brokerDb.password());
      brokerEnv.put("IFPP_BROKER_BOOTSTRAPCLIENTS_0_TOKEN", brokerTokenForKeyMaker);
      brokerEnv.put("IFPP_BROKER_CLIENT_CERTIFICATES", "required");
      for (int i = 0; i < lines.size(); i++) {
        String p = "IFPP_BROKER_BOOTSTRAPCLIENTS_" + (i + 1) + "_";
        brokerEnv.put(p + "NAME", lines.get(i).name());
        brokerEnv.put(p + "TOKEN", lines.get(i).secret());
        brokerEnv.put(p + "SCOPES", brokerConfig.environment().get("IFPP_BROKER_LINE_SCOPES"));
        brokerEnv.put(p + "FACTORY", FACTORY);
        brokerEnv.put(p + "LINE", lines.get(i).name());
      }
      broker = started(broker("factory-broker").start());
      broker2 = secondBroker ? started(broker("factory-broker-2").start()) : null;
      simulator.awaitReady();

      Map<String, String> kmEnv = new LinkedHashMap<>(kmConfig.environment());
      kmEnv.putAll(hsmEnv);
      kmEnv.put("KEYMAKER_HSM_TOKEN_LABEL", "e2e");
      kmEnv.put("KEYMAKER_DB_URL", keyMakerDb.jdbcUrl());
      kmEnv.put("KEYMAKER_DB_USER", keyMakerDb.username());
      kmEnv.put("KEYMAKER_DB_PASSWORD", keyMakerDb.password());
      kmEnv.put("KEYMAKER_API_OPERATOR_TOKEN", operatorToken);
      kmEnv.put("KEYMAKER_API_BROKER_TOKEN", secret());
      kmEnv.put("KEYMAKER_BROKER_URL", broker.url().toString());
      kmEnv.put("KEYMAKER_BROKER_TOKEN", brokerTokenForKeyMaker);
      keyMaker =
          started(
              new ServiceProcess(
                      "keymaker",
                      kmConfig.command(
                          jar("keymaker-service"),
                          withTls(
                              serverTls("keymaker"),
                              ChildServerPort.ANY_PORT,
                              "--keymaker.trust.ci-certificates="
                                  + dir.resolve("euicc-state/eum/ci.der"),
                              "--keymaker.broker.target-factory=" + FACTORY,
                              "--keymaker.audit.checkpoints.directory="
                                  + dir.resolve("audit-checkpoints"),
                              // No automatic re-binding here: the reconciliation must end with
                              // every
                              // binding INSTALLED or FAILED (re-binding is the Key Maker's own
                              // test).
                              "--keymaker.binding.max-attempts=1",
                              "--keymaker.broker.ssl-bundle=broker-client",
                              "--spring.ssl.bundle.pem.broker-client.truststore.certificate=file:"
                                  + tls.resolve("ca.crt"),
                              "--spring.ssl.bundle.pem.broker-client.keystore.certificate=file:"
                                  + tls.resolve("client/keymaker.crt"),
                              "--spring.ssl.bundle.pem.broker-client.keystore.private-key=file:"
                                  + tls.resolve("client/keymaker.key"))),
                      kmEnv,
                      dir.resolve("logs/keymaker.log"),
                      trust)
                  .start());
      broker.awaitReady();
      if (broker2 != null) {
        broker2.awaitReady();
      }
      keyMaker.awaitReady();
    } catch (Exception | Error e) {
      try {
        stopStarted();
      } catch (InterruptedException stopping) {
        Thread.currentThread().interrupt();
        e.addSuppressed(stopping);
      }
      throw e;
    }
  }

  /** A broker process on the broker database, with the lines and the Key Maker as clients. */
  private ServiceProcess broker(String name) throws IOException {
    ServiceConfig brokerConfig = ServiceConfig.read(root, "broker");
    return new ServiceProcess(
        name,
        brokerConfig.command(
            jar("factory-broker-service"),
            withTls(
                serverTls("broker"),
                ChildServerPort.ANY_PORT,
                "--server.ssl.client-auth=want",
                "--spring.ssl.bundle.pem.server.truststore.certificate=file:"
                    + tls.resolve("ca.crt"))),
        brokerEnv,
        dir.resolve("logs/" + name + ".log"),
        trust);
  }

  /** An HTTP client of the operator's calls (Key Maker, simulator) trusting the stack's CA. */
  ApacheHttpTransport opsClient() {
    return new ApacheHttpTransport(
        Duration.ofSeconds(5), 64, Duration.ofSeconds(20), lineTls.serverOnly());
  }

  /**
   * The service's HTTPS from the PKI's server/NAME.{crt,key}, as the Spring SSL bundle "server".
   */
  private List<String> serverTls(String name) {
    return List.of(
        "--server.ssl.bundle=server",
        "--spring.ssl.bundle.pem.server.keystore.certificate=file:"
            + tls.resolve("server/" + name + ".crt"),
        "--spring.ssl.bundle.pem.server.keystore.private-key=file:"
            + tls.resolve("server/" + name + ".key"));
  }

  private static String[] withTls(List<String> tlsArgs, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(tlsArgs);
    return all.toArray(String[]::new);
  }

  /** The Boot jar of a service module, built earlier in the reactor. */
  Path jar(String module) throws IOException {
    Path target = root.resolve(module).resolve("target");
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(p -> p.getFileName().toString().matches(module + "-.*\\.jar"))
          .filter(p -> !p.getFileName().toString().contains("original"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no jar in " + target + ": package first"));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalStateException("no " + target + ": build the services first", e);
    }
  }

  @Override
  public void close() throws Exception {
    stopStarted();
  }

  private ServiceProcess started(ServiceProcess process) {
    started.add(process);
    return process;
  }

  /** Stops every service started so far, the last started first. */
  private void stopStarted() throws InterruptedException {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).stop();
    }
    started.clear();
  }

  private static String run(Path log, Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command[0], command[1]) + " failed; see " + log + "\n" + out);
    }
    return out;
  }

  private static String secret() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
