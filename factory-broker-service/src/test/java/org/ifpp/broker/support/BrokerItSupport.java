package org.ifpp.broker.support;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.testsupport.TestPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the broker's integration tests: the real application on a random port, on a fresh
 * database of a real PostgreSQL, with an admin and a Key Maker client bootstrapped from
 * configuration, and a clock tests can move. All test classes share one context (and database), so
 * each test uses its own batch ids, EIDs and line names.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "ifpp.broker.bootstrap-clients[0].name=admin",
      "ifpp.broker.bootstrap-clients[0].token=" + BrokerItSupport.ADMIN_TOKEN,
      "ifpp.broker.bootstrap-clients[0].scopes=admin",
      "ifpp.broker.bootstrap-clients[1].name=keymaker",
      "ifpp.broker.bootstrap-clients[1].token=" + BrokerItSupport.KEYMAKER_TOKEN,
      "ifpp.broker.bootstrap-clients[1].scopes=upload,export,purge",
      "ifpp.web.max-body-size=16MB",
      "ifpp.broker.max-batch-size=5000",
      "ifpp.broker.lease=PT60S",
      "ifpp.broker.credential-cache-ttl=PT1S",
      "ifpp.broker.lease-sweep-interval=PT1H",
      "logging.structured.format.console=",
    })
@Import(TestClockConfiguration.class)
public abstract class BrokerItSupport {

  public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
  public static final String KEYMAKER_TOKEN = "test-keymaker-token-0123456789";

  private static final TestPostgres.Database DB = TestPostgres.newDatabase("broker");

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", DB::jdbcUrl);
    registry.add("spring.datasource.username", DB::username);
    registry.add("spring.datasource.password", DB::password);
  }

  public static TestPostgres.Database database() {
    return DB;
  }

  @Value("${local.server.port}")
  protected int port;

  @Autowired protected MutableClock clock;
  @Autowired protected JdbcTemplate jdbc;
  @Autowired protected Clock anyClock;

  protected BrokerClient api;
  protected final Random random = new Random();

  @BeforeEach
  void client() {
    api = new BrokerClient("http://localhost:" + port);
  }

  protected static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates a client through the admin API and returns its token. */
  protected String createClient(String name, String scopes, String factory, String line) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("scopes", List.of(scopes.split(",")));
    body.put("factory", factory);
    body.put("line", line);
    BrokerClient.Response r = api.post("/api/v1/admin/clients", ADMIN_TOKEN, body);
    if (r.status() != 201) {
      throw new IllegalStateException("client creation failed: " + r.status() + " " + r.text());
    }
    return r.json().get("token").asString();
  }

  protected String createLine(String factory, String line) {
    return createClient(unique("line"), "claim,download,report,release", factory, line);
  }

  /** One package of a batch being built. */
  public record Pkg(Eid eid, TransactionId tx, byte[] bpp, String targetLine) {}

  protected List<Pkg> packages(int n, int payloadSize) {
    List<Pkg> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      TransactionId tx = TestPackages.transactionId(random);
      out.add(
          new Pkg(
              TestPackages.eid(random),
              tx,
              TestPackages.boundPackage(tx, payloadSize, random),
              null));
    }
    return out;
  }

  protected Map<String, Object> batchRequest(String batchId, String factory, List<Pkg> pkgs) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("batchId", batchId);
    body.put("targetFactory", factory);
    body.put("bindingCertificate", TestPackages.bindingCertificateBase64());
    List<Map<String, Object>> list = new ArrayList<>();
    for (Pkg p : pkgs) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("eid", p.eid().value());
      m.put("transactionId", p.tx().toHex());
      if (p.targetLine() != null) {
        m.put("targetLine", p.targetLine());
      }
      m.put("boundProfilePackage", TestPackages.b64(p.bpp()));
      list.add(m);
    }
    body.put("packages", list);
    return body;
  }

  protected BrokerClient.Response upload(String batchId, String factory, List<Pkg> pkgs) {
    return api.post(
        "/api/v1/batches",
        KEYMAKER_TOKEN,
        batchRequest(batchId, factory, pkgs),
        "Idempotency-Key",
        unique("key"));
  }

  protected BrokerClient.Response claim(String token, Eid eid, String... headers) {
    return api.post("/api/v1/claims", token, Map.of("eid", eid.value()), headers);
  }

  protected BrokerClient.Response report(
      String token, TransactionId tx, String outcome, byte[] pir, String... headers) {
    return api.post(
        "/api/v1/packages/" + tx.toHex() + "/result",
        token,
        Map.of("outcome", outcome, "profileInstallationResult", TestPackages.b64(pir)),
        headers);
  }
}
