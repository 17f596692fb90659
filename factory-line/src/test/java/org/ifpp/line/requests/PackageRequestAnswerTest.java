package org.ifpp.line.requests;

import static org.assertj.core.api.Assertions.assertThat;

import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.line.http.Json;
import org.junit.jupiter.api.Test;

/** The Key Maker's answer to a package request, relayed by the broker, read entry by entry. */
class PackageRequestAnswerTest {

  private static final Eid A = Eid.withCheckDigits("890490321234512345000000000001");
  private static final Eid B = Eid.withCheckDigits("890490321234512345000000000002");
  private static final Eid C = Eid.withCheckDigits("890490321234512345000000000003");

  @Test
  void eachEntryIsReadOnItsOwn_anUnusableOneTouchesNoOther() {
    String json =
        ("{'state':'ANSWERED','accepted':["
                + "{'eid':'A','transactionId':'0a0b'},"
                + "{'eid':'8904','transactionId':'0C'},"
                + "{'eid':'B','transactionId':'not-hex'}],"
                + "'refused':[{'eid':'C','code':'ineligible-eid','detail':'d'},"
                + "{'code':'invalid-euicc-data'}]}")
            .replace("'A'", "'" + A + "'")
            .replace("'B'", "'" + B + "'")
            .replace("'C'", "'" + C + "'")
            .replace('\'', '"');

    PackageRequestClient.Answer answer =
        PackageRequestClient.answer(
            Json.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    assertThat(answer.accepted())
        .containsExactly(new PackageRequestClient.Accepted(A, TransactionId.fromHex("0A0B")));
    assertThat(answer.refused())
        .extracting(PackageRequestClient.Refused::eid, PackageRequestClient.Refused::code)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(B, PackageRequestClient.INVALID_TRANSACTION_ID),
            org.assertj.core.groups.Tuple.tuple(C, "ineligible-eid"));
    // An entry naming no EID belongs to no chip of the request: kept aside, with why.
    assertThat(answer.unreadable())
        .hasSize(2)
        .anySatisfy(u -> assertThat(u).contains("8904"))
        .anySatisfy(u -> assertThat(u).contains("invalid-euicc-data"));
  }
}
