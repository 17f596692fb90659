package org.ifpp.line.finalise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.ifpp.crypto.finalisation.FinalisationReceipt;
import org.ifpp.crypto.finalisation.SignedFinalisationCommand;
import org.ifpp.crypto.finalisation.SignedFinalisationReceipt;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.pki.DevelopmentCredential;
import org.ifpp.crypto.pki.DevelopmentPki;
import org.ifpp.crypto.signing.SoftwareSigner;
import org.ifpp.line.chip.ChipClient;
import org.ifpp.line.http.ApacheHttpTransport;
import org.ifpp.line.http.FakeServer;
import org.ifpp.line.http.Http;
import org.ifpp.line.http.Json;
import org.ifpp.line.http.RetryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FinalisationRunTest {

  static final DevelopmentPki PKI = new DevelopmentPki(Clock.systemUTC(), new SecureRandom());
  static final Eid A = Eid.withCheckDigits("890490329990000000000000000001");
  static final Eid B = Eid.withCheckDigits("890490329990000000000000000002");
  static final Eid C = Eid.withCheckDigits("890490329990000000000000000003");

  @TempDir Path dir;

  static String pem(DevelopmentCredential c) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(c.privateKey().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  @Test
  void eachChipGetsItsSignedCommand_receiptsAreCollected_refusalsKeepTheirCode() throws Exception {
    DevelopmentCredential dm = PKI.createDeviceMaker("Test DM");
    DevelopmentCredential chipKey = PKI.createDeviceMaker("stands in for an eUICC key");
    SoftwareSigner chip = SoftwareSigner.fromPem(pem(chipKey), new SecureRandom());
    Path keyFile = dir.resolve("dm.pem");
    Files.writeString(keyFile, pem(dm));
    try (FakeServer server =
        new FakeServer(
            (ex, r) -> {
              Eid eid = Eid.of(r.path().split("/")[4]);
              JsonNode body = Json.parse(r.body());
              SignedFinalisationCommand cmd =
                  SignedFinalisationCommand.parse(
                      Base64.getDecoder().decode(body.get("command").asText()));
              assertThat(cmd.verify(dm.publicKey())).isTrue();
              assertThat(cmd.command().eid()).isEqualTo(eid);
              if (eid.equals(B)) {
                FakeServer.json(ex, 409, "{\"code\":\"finalisation-replayed\"}");
                return;
              }
              Eid says = eid.equals(C) ? A : eid;
              byte[] receipt =
                  new FinalisationReceipt(says, cmd.command().counter(), 2, true)
                      .sign(chip)
                      .encoded();
              FakeServer.json(
                  ex, 200, "{\"receipt\":\"" + Base64.getEncoder().encodeToString(receipt) + "\"}");
            })) {
      Http http =
          new Http(
              new ApacheHttpTransport(Duration.ofSeconds(2), 8, Duration.ofSeconds(5)),
              new RetryPolicy(1, Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO));
      FinalisationRun.Summary summary =
          new FinalisationRun(new ChipClient(http, server.uri()), DeviceMakerKey.read(keyFile), 2)
              .run(List.of(C, B, A), 77);

      assertThat(summary.finalised()).isEqualTo(1);
      assertThat(summary.refusals())
          .containsEntry("finalisation-replayed", 1L)
          .containsEntry("receipt-mismatch", 1L);
      Path file = dir.resolve("receipts.json");
      FinalisationRun.writeReceipts(summary, file);
      JsonNode doc = Json.parse(Files.readAllBytes(file));
      assertThat(doc.get("format").asText()).isEqualTo(FinalisationRun.FORMAT);
      assertThat(doc.get("receipts")).hasSize(1);
      assertThat(doc.get("receipts").get(0).get("eid").asText()).isEqualTo(A.value());
      SignedFinalisationReceipt r =
          SignedFinalisationReceipt.parse(
              Base64.getDecoder().decode(doc.get("receipts").get(0).get("receipt").asText()));
      assertThat(r.receipt()).isEqualTo(new FinalisationReceipt(A, 77, 2, true));
      assertThat(r.verify(chipKey.publicKey())).isTrue();
      // the key file's secret never travels: only commands do
      String secret = Base64.getEncoder().encodeToString(dm.privateKey().getEncoded());
      assertThat(server.requests()).noneMatch(q -> q.body().contains(secret.substring(40, 70)));
    }
  }

  @Test
  void keyFile_withoutAKey_isRefused_andTheKeyNeverPrints() throws Exception {
    Path bad = dir.resolve("bad.pem");
    Files.writeString(bad, "not a key");
    assertThatThrownBy(() -> DeviceMakerKey.read(bad)).isInstanceOf(IllegalArgumentException.class);
    Path good = dir.resolve("dm.pem");
    Files.writeString(good, pem(PKI.createDeviceMaker("Test DM")));
    assertThat(DeviceMakerKey.read(good).toString()).isEqualTo("DeviceMakerKey[REDACTED]");
  }
}
