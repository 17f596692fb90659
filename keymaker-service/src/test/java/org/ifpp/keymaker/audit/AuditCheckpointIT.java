package org.ifpp.keymaker.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.ifpp.keymaker.testing.TestEnvironment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/** Signed checkpoints anchor the audit chain outside the database (issue 13 item 6). */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "keymaker.audit.checkpoints.every-records=1000000")
// Closed after the class: its pool's connections go back to the shared test PostgreSQL.
@DirtiesContext
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class AuditCheckpointIT {

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    TestEnvironment.register(registry);
  }

  @Autowired AuditLog audit;
  @Autowired AuditCheckpoints checkpoints;
  @Autowired JdbcTemplate jdbc;
  @Autowired TransactionTemplate tx;
  @Autowired CheckpointProperties properties;

  @Value("${local.server.port}")
  int port;

  @BeforeEach
  void sixRecords() {
    for (int i = 0; i < 6; i++) {
      String subject = "8900000000000000000" + i;
      tx.executeWithoutResult(
          s -> audit.append(AuditRecord.of("operator", "PROFILE_IMPORTED", subject, "n", "1")));
    }
  }

  @Test
  void untouchedChain_passesItsLastCheckpoint_andLaterRecordsDoNotMatter() {
    AuditCheckpoint c = checkpoints.checkpoint();
    tx.executeWithoutResult(s -> audit.append(AuditRecord.of("operator", "LATER", "x")));
    assertThat(checkpoints.verify(c).valid()).isTrue();
  }

  @Test
  void cutTail_withRewoundHead_failsAgainstTheLastCheckpoint() {
    AuditCheckpoint c = checkpoints.checkpoint();
    // Delete the last two records and rewind the stored head to the one before: the chain in
    // the database verifies as intact by itself...
    jdbc.update("delete from audit_log where seq > ?", c.seq() - 2);
    jdbc.update(
        "update audit_head set seq = ?, hash = (select hash from audit_log where seq = ?)",
        c.seq() - 2,
        c.seq() - 2);
    assertThat(audit.verify().intact()).isTrue();
    // ...but not against the checkpoint published outside it.
    AuditCheckpoints.CheckpointVerification v = checkpoints.verify(c);
    assertThat(v.valid()).isFalse();
    assertThat(v.code()).isEqualTo("audit-tail-cut");
  }

  @Test
  void forgedCheckpoint_isRefused() {
    AuditCheckpoint c = checkpoints.checkpoint();
    AuditCheckpoint forged = new AuditCheckpoint(c.seq() - 1, c.headHash(), c.at(), c.signature());
    assertThat(checkpoints.verify(forged).code()).isEqualTo("checkpoint-signature-invalid");
    String otherHash = c.headHash().substring(1) + (c.headHash().charAt(0) == 'A' ? "B" : "A");
    assertThat(
            checkpoints
                .verify(new AuditCheckpoint(c.seq(), otherHash, c.at(), c.signature()))
                .code())
        .isEqualTo("checkpoint-signature-invalid");
    assertThat(checkpoints.verify(new AuditCheckpoint(c.seq(), "zz", c.at(), "00")).code())
        .isEqualTo("checkpoint-malformed");
  }

  @Test
  void checkpoints_areAppendedToTheFile_andServedToTheOperator() throws Exception {
    AuditCheckpoint first = checkpoints.checkpoint();
    AuditCheckpoint second = checkpoints.checkpoint();
    Path file = properties.directory().resolve(CheckpointFile.NAME);
    assertThat(Files.readAllLines(file))
        .hasSizeGreaterThanOrEqualTo(2)
        .anySatisfy(l -> assertThat(l).contains(first.signature()))
        .anySatisfy(l -> assertThat(l).contains(second.signature()));

    HttpResponse<String> listed = call("GET", "/api/v1/audit/checkpoints", null, true);
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.body()).contains(second.signature());
    assertThat(call("GET", "/api/v1/audit/checkpoints", null, false).statusCode()).isEqualTo(401);

    String body =
        "{\"seq\":"
            + second.seq()
            + ",\"headHash\":\""
            + second.headHash()
            + "\",\"at\":\""
            + second.at()
            + "\",\"signature\":\""
            + second.signature()
            + "\"}";
    HttpResponse<String> verified = call("POST", "/api/v1/audit/verify", body, true);
    assertThat(verified.statusCode()).isEqualTo(200);
    assertThat(verified.body()).contains("\"valid\":true");
  }

  private HttpResponse<String> call(String method, String path, String body, boolean authorised)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (authorised) {
      b.header("Authorization", "Bearer " + TestEnvironment.OPERATOR_TOKEN);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
