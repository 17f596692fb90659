package org.ifpp.line.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.line.http.FakeServer;
import org.ifpp.line.http.Http;
import org.ifpp.line.http.RetryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The broker's answer to a single claim, read once into typed values. */
@Timeout(30)
class ClaimAnswerTest {

  private static final Eid EID = new Eid("89049032123451234512345678901235");

  private static BrokerClient client(FakeServer server) {
    Http http =
        new Http(
            Http.newClient(Duration.ofSeconds(2)),
            new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofMillis(1), Duration.ofMillis(2)));
    return new BrokerClient(http, server.uri(), "Bearer t", "L1", false);
  }

  private static FakeServer answering(String transactionId) {
    return new FakeServer(
        (ex, r) -> {
          ex.getResponseHeaders().add("X-Transaction-Id", transactionId);
          FakeServer.reply(ex, 200, "application/octet-stream", new byte[] {1, 2});
        });
  }

  @Test
  void aGrantedClaim_carriesTheBrokersTransactionId() {
    try (FakeServer server = answering("00A1FF")) {
      BrokerClient.ClaimedPackage claimed = client(server).claimWithPackage(EID);

      assertThat(claimed.claim().transactionId()).isEqualTo(TransactionId.fromHex("00a1ff"));
      assertThat(claimed.claim().transactionId().toHex()).isEqualTo("00A1FF");
      assertThat(claimed.boundPackage()).containsExactly(1, 2);
    }
  }

  @Test
  void aGrantedClaimWithAnUnusableTransactionId_isThatChipsFinalRefusal() {
    for (String bad : new String[] {"not-hex", "ABC", "00112233445566778899AABBCCDDEEFF00"}) {
      try (FakeServer server = answering(bad)) {
        assertThatThrownBy(() -> client(server).claimWithPackage(EID))
            .isInstanceOf(ClaimRefusedException.class)
            .satisfies(
                e -> {
                  ClaimRefusedException refused = (ClaimRefusedException) e;
                  assertThat(refused.code()).isEqualTo(BrokerClient.INVALID_TRANSACTION_ID);
                  assertThat(refused.unavailable()).isFalse();
                  assertThat(refused.unusableGrant()).isTrue();
                });
      }
    }
  }

  private static FakeServer answeringJson(String eid) {
    return new FakeServer(
        (ex, r) ->
            FakeServer.json(
                ex,
                201,
                "{\"transactionId\":\"0A\",\"batchId\":\"b1\""
                    + (eid == null ? "" : ",\"eid\":\"" + eid + "\"")
                    + "}"));
  }

  @Test
  void aGrantedClaim_isForTheChipAskedFor_whetherTheAnswerNamesItOrNot() {
    for (String named : new String[] {null, EID.value()}) {
      try (FakeServer server = answeringJson(named)) {
        Claim claim = client(server).claim(EID);

        assertThat(claim.eid()).isEqualTo(EID);
        assertThat(claim.transactionId()).isEqualTo(TransactionId.fromHex("0A"));
      }
    }
  }

  @Test
  void aGrantedClaimNamingNoEidOrAnotherChip_isThatChipsFinalRefusal() {
    String other = Eid.withCheckDigits("890490321234512345000000000001").value();
    for (String[] answer :
        new String[][] {
          {"8904903212345123451234567890123X", BrokerClient.INVALID_EID},
          {"", BrokerClient.INVALID_EID},
          {other, BrokerClient.EID_MISMATCH}
        }) {
      try (FakeServer server = answeringJson(answer[0])) {
        assertThatThrownBy(() -> client(server).claim(EID))
            .isInstanceOf(ClaimRefusedException.class)
            .satisfies(
                e -> {
                  ClaimRefusedException refused = (ClaimRefusedException) e;
                  assertThat(refused.code()).isEqualTo(answer[1]);
                  assertThat(refused.unusableGrant()).isTrue();
                  assertThat(refused.unavailable()).isFalse();
                });
      }
    }
  }
}
