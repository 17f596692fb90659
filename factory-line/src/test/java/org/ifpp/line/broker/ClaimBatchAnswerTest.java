package org.ifpp.line.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.line.http.HttpCallException;
import org.junit.jupiter.api.Test;

/** The split of the broker's binary answer to {@code POST /api/v1/claims/batch}. */
class ClaimBatchAnswerTest {

  private static final Eid A = Eid.withCheckDigits("890490321234512345000000000001");
  private static final Eid B = Eid.withCheckDigits("890490321234512345000000000002");
  private static final Eid C = Eid.withCheckDigits("890490321234512345000000000003");

  /** The header's JSON with 'A', 'B', 'C' standing for the three EIDs. */
  private static String json(String header) {
    return header
        .replace("'A'", "\"" + A + "\"")
        .replace("'B'", "\"" + B + "\"")
        .replace("'C'", "\"" + C + "\"");
  }

  private static byte[] answer(String header, byte[]... packages) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ByteBuffer.allocate(4).putInt(h.length).array());
    out.writeBytes(h);
    for (byte[] p : packages) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void claimedEntries_getTheirOwnPackages_inOrder_andRefusalsTheirCodes() {
    byte[] p1 = {(byte) 0xBF, 0x36, 1, 7};
    byte[] p3 = {(byte) 0xBF, 0x36, 2, 8, 9};
    String header =
        "{\"claims\":[{\"eid\":'A',\"status\":200,\"transactionId\":\"01\",\"batchId\":\"b\","
            + "\"leaseExpiresAt\":\"t\",\"bindingCertificateUrl\":\"/c\",\"packageLength\":4},"
            + "{\"eid\":'B',\"status\":409,\"code\":\"package-claimed\",\"detail\":\"x\"},"
            + "{\"eid\":'C',\"status\":200,\"transactionId\":\"03\",\"packageLength\":5}]}";

    List<BrokerClient.BatchClaim> claims =
        BrokerClient.parseClaimBatch(List.of(A, B, C), answer(json(header), p1, p3));

    assertThat(claims).hasSize(3);
    assertThat(claims.get(0).isClaimed()).isTrue();
    assertThat(claims.get(0).claimed().boundPackage()).isEqualTo(p1);
    assertThat(claims.get(0).claimed().claim())
        .isEqualTo(new Claim(TransactionId.fromHex("01"), A, "b", "t", null, "/c"));
    assertThat(claims.get(1).isClaimed()).isFalse();
    assertThat(claims.get(1).status()).isEqualTo(409);
    assertThat(claims.get(1).code()).isEqualTo("package-claimed");
    assertThat(claims.get(2).claimed().boundPackage()).isEqualTo(p3);
    assertThat(claims.get(2).claimed().claim().transactionId().toHex()).isEqualTo("03");
  }

  @Test
  void anAnswerThatDoesNotSplit_isACallWithoutUsableAnswer() {
    String one = "{\"claims\":[{\"eid\":'A',\"status\":200,\"transactionId\":\"01\",";
    byte[] p = {1, 2, 3};
    List<Eid> a = List.of(A);
    // Bytes missing, bytes left over, an entry count that does not match, no header at all.
    for (byte[] bad :
        List.of(
            answer(json(one) + "\"packageLength\":4}]}", p),
            answer(json(one) + "\"packageLength\":2}]}", p),
            answer("{\"claims\":[]}"),
            answer("not json"),
            new byte[] {0, 0}, // shorter than the header length
            new byte[] {0, 0, 0, 9, '{'})) {
      assertThatThrownBy(() -> BrokerClient.parseClaimBatch(a, bad))
          .isInstanceOf(HttpCallException.class)
          .satisfies(e -> assertThat(((HttpCallException) e).outcomeUnknown()).isTrue());
    }
  }

  @Test
  void anEntryWithAnUnusableTransactionId_isThatChipsRefusal_andTheOthersKeepTheirPackages() {
    byte[] p1 = {1, 2, 3};
    byte[] p2 = {4, 5};
    String header =
        "{\"claims\":[{\"eid\":'A',\"status\":200,\"transactionId\":\"not-hex\","
            + "\"packageLength\":3},"
            + "{\"eid\":'B',\"status\":200,\"transactionId\":\"0B\",\"packageLength\":2}]}";

    List<BrokerClient.BatchClaim> claims =
        BrokerClient.parseClaimBatch(List.of(A, B), answer(json(header), p1, p2));

    assertThat(claims.get(0).isClaimed()).isFalse();
    assertThat(claims.get(0).code()).isEqualTo(BrokerClient.INVALID_TRANSACTION_ID);
    assertThat(claims.get(1).claimed().claim().transactionId())
        .isEqualTo(TransactionId.fromHex("0B"));
    assertThat(claims.get(1).claimed().boundPackage()).isEqualTo(p2);
  }

  @Test
  void anEntryNamingNoEidOrAnotherChip_isThatChipsRefusal_andTheOthersKeepTheirPackages() {
    byte[] p1 = {1, 2, 3};
    byte[] p2 = {4, 5};
    byte[] p3 = {6};
    String header =
        "{\"claims\":[{\"eid\":\"8904903212345123450000000000010X\",\"status\":200,"
            + "\"transactionId\":\"0A\",\"packageLength\":3},"
            + "{\"eid\":'C',\"status\":200,\"transactionId\":\"0B\",\"packageLength\":2},"
            + "{\"eid\":'C',\"status\":200,\"transactionId\":\"0C\",\"packageLength\":1}]}";

    List<BrokerClient.BatchClaim> claims =
        BrokerClient.parseClaimBatch(List.of(A, B, C), answer(json(header), p1, p2, p3));

    assertThat(claims).extracting(BrokerClient.BatchClaim::eid).containsExactly(A, B, C);
    assertThat(claims.get(0).isClaimed()).isFalse();
    assertThat(claims.get(0).code()).isEqualTo(BrokerClient.INVALID_EID);
    assertThat(claims.get(1).isClaimed()).isFalse();
    assertThat(claims.get(1).code()).isEqualTo(BrokerClient.EID_MISMATCH);
    assertThat(claims.get(2).claimed().claim().eid()).isEqualTo(C);
    assertThat(claims.get(2).claimed().claim().transactionId())
        .isEqualTo(TransactionId.fromHex("0C"));
    assertThat(claims.get(2).claimed().boundPackage()).isEqualTo(p3);
  }
}
