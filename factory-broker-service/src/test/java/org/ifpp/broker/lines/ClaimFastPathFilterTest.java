package org.ifpp.broker.lines;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

class ClaimFastPathFilterTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static ClaimRequest simple(String body) {
    return ClaimFastPathFilter.simple(body.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"eid\":\"89049032123451234512345678901235\"}",
        " {\r\n\t\"eid\" : \"89049032123451234512345678901235\" } \n",
        "{\"eid\":\"\"}",
        "{\"eid\":\"abc\"}"
      })
  void theUsualClaimBody_readsAsJacksonReadsIt(String body) {
    assertThat(simple(body)).isNotNull().isEqualTo(JSON.readValue(body, ClaimRequest.class));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{",
        "{}",
        "{\"eid\":\"89049032123451234512345678901235\"",
        "{\"eid\":\"8904\\u0030\"}",
        "{\"eid\":\"8904 0\"}",
        "{\"eid\":89049032123451234512345678901235}",
        "{\"eid\":\"1\",\"x\":1}",
        "{\"eid\":\"1\"}x",
        "{\"EID\":\"1\"}",
        "[\"eid\"]",
        "null"
      })
  void anythingElse_isLeftToJackson(String body) {
    assertThat(simple(body)).isNull();
  }

  @org.junit.jupiter.api.Test
  void reportPath_isTakenOnlyWithHexDigitsBeforeResult() {
    assertThat(ClaimFastPathFilter.reportTransactionId("/api/v1/packages/0aF9/result"))
        .isEqualTo("0aF9");
    assertThat(ClaimFastPathFilter.reportTransactionId("/api/v1/packages//result")).isNull();
    assertThat(ClaimFastPathFilter.reportTransactionId("/api/v1/packages/0g/result")).isNull();
    assertThat(ClaimFastPathFilter.reportTransactionId("/api/v1/packages/00/release")).isNull();
    assertThat(ClaimFastPathFilter.reportTransactionId("/api/v1/packages/00/result/")).isNull();
    assertThat(ClaimFastPathFilter.reportTransactionId("/api/v1/packages/%30/result")).isNull();
    assertThat(ClaimFastPathFilter.reportTransactionId("/api/v1/packages/00")).isNull();
  }
}
