package org.ifpp.demo.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ifpp.line.LineCredential;
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
  final ServiceProcess keyMaker;
  final TestPostgres.Database brokerDb;

  E2eStack(Path dir, int lineCount) throws Exception {
    this.root = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    this.dir = dir;
    Files.createDirectories(dir.resolve("logs"));
    String pin = secret();
    String brokerTokenForKeyMaker = secret();
    for (int i = 1; i <= lineCount; i++) {
      lines.add(new LineCredential("line-" + i, secret()));
    }

    // SoftHSM token and the Key Maker's keys (development CI).
    Path tokenDir = dir.resolve("softhsm");
    String conf =
        run(
                dir.resolve("logs/softhsm.log"),
                Map.of(),
                "bash",
                root.resolve("scripts/softhsm-token.sh").toString(),
                "--dir",
                tokenDir.toString(),
                "--label",
                "e2e",
                "--pin",
                pin)
            .strip();
    Map<String, String> hsmEnv = Map.of("SOFTHSM2_CONF", conf, "KEYMAKER_HSM_PIN", pin);
    run(
        dir.resolve("logs/keymaker-bootstrap.log"),
        hsmEnv,
        "java",
        "-Dloader.main=org.ifpp.keymaker.bootstrap.BootstrapCommand",
        "-cp",
        jar("keymaker-service").toString(),
        "org.springframework.boot.loader.launch.PropertiesLauncher",
        "--token-label",
        "e2e",
        "--ci-out",
        dir.resolve("pki").toString(),
        "--cert-out",
        dir.resolve("pki/binding-certificate.der").toString());

    TestPostgres.Database keyMakerDb = TestPostgres.newDatabase("e2e_keymaker");
    brokerDb = TestPostgres.newDatabase("e2e_broker");

    int simPort = freePort();
    simulator =
        new ServiceProcess(
                "euicc-simulator",
                List.of(
                    "java",
                    "-XX:+UseParallelGC",
                    "-jar",
                    jar("euicc-simulator").toString(),
                    "--server.port=" + simPort,
                    "--ifpp.euicc.state-dir=" + dir.resolve("euicc-state"),
                    "--ifpp.euicc.fsync=false",
                    "--ifpp.euicc.trusted-ci-certificates=" + dir.resolve("pki/ci.der")),
                Map.of(),
                dir.resolve("logs/euicc-simulator.log"),
                simPort)
            .start();

    int brokerPort = freePort();
    Map<String, String> brokerEnv = new LinkedHashMap<>();
    brokerEnv.put("SPRING_DATASOURCE_URL", brokerDb.jdbcUrl());
    brokerEnv.put("SPRING_DATASOURCE_USERNAME", brokerDb.username());
    brokerEnv.put("SPRING_DATASOURCE_PASSWORD", brokerDb.password());
    brokerEnv.put("IFPP_BROKER_BOOTSTRAPCLIENTS_0_NAME", "keymaker");
    brokerEnv.put("IFPP_BROKER_BOOTSTRAPCLIENTS_0_TOKEN", brokerTokenForKeyMaker);
    brokerEnv.put("IFPP_BROKER_BOOTSTRAPCLIENTS_0_SCOPES", "upload,export,purge");
    for (int i = 0; i < lines.size(); i++) {
      String p = "IFPP_BROKER_BOOTSTRAPCLIENTS_" + (i + 1) + "_";
      brokerEnv.put(p + "NAME", lines.get(i).name());
      brokerEnv.put(p + "TOKEN", lines.get(i).secret());
      brokerEnv.put(p + "SCOPES", "claim,download,report,release");
      brokerEnv.put(p + "FACTORY", FACTORY);
      brokerEnv.put(p + "LINE", lines.get(i).name());
    }
    broker =
        new ServiceProcess(
                "factory-broker",
                List.of(
                    "java",
                    "-XX:+UseParallelGC",
                    "-jar",
                    jar("factory-broker-service").toString(),
                    "--server.port=" + brokerPort),
                brokerEnv,
                dir.resolve("logs/broker.log"),
                brokerPort)
            .start();
    simulator.awaitReady(Duration.ofSeconds(180));

    int kmPort = freePort();
    Map<String, String> kmEnv = new LinkedHashMap<>(hsmEnv);
    kmEnv.put("KEYMAKER_HSM_TOKEN_LABEL", "e2e");
    kmEnv.put("KEYMAKER_DB_URL", keyMakerDb.jdbcUrl());
    kmEnv.put("KEYMAKER_DB_USER", keyMakerDb.username());
    kmEnv.put("KEYMAKER_DB_PASSWORD", keyMakerDb.password());
    kmEnv.put("KEYMAKER_API_OPERATOR_TOKEN", operatorToken);
    kmEnv.put("KEYMAKER_API_BROKER_TOKEN", secret());
    kmEnv.put("KEYMAKER_BROKER_URL", broker.url().toString());
    kmEnv.put("KEYMAKER_BROKER_TOKEN", brokerTokenForKeyMaker);
    keyMaker =
        new ServiceProcess(
                "keymaker",
                List.of(
                    "java",
                    "-XX:+UseParallelGC",
                    "-jar",
                    jar("keymaker-service").toString(),
                    "--server.port=" + kmPort,
                    "--keymaker.trust.ci-certificates=" + dir.resolve("euicc-state/eum/ci.der"),
                    "--keymaker.broker.target-factory=" + FACTORY,
                    "--keymaker.audit.checkpoints.directory=" + dir.resolve("audit-checkpoints"),
                    "--keymaker.broker.results-interval=500ms",
                    // No automatic re-binding here: the reconciliation must end with every
                    // binding INSTALLED or FAILED (re-binding is the Key Maker's own test).
                    "--keymaker.binding.max-attempts=1"),
                kmEnv,
                dir.resolve("logs/keymaker.log"),
                kmPort)
            .start();
    broker.awaitReady(Duration.ofSeconds(180));
    keyMaker.awaitReady(Duration.ofSeconds(180));
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
    for (ServiceProcess p : new ServiceProcess[] {keyMaker, broker, simulator}) {
      if (p != null) {
        p.stop();
      }
    }
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

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String secret() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
