package org.ifpp.keymaker.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.ifpp.web.Problems;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/** The API's roles: the auditor's credential reads the audit chain and nothing else. */
class BearerAuthFilterTest {

  static final String OPERATOR = "operator-token-for-unit-test";
  static final String BROKER = "broker-token-for-unit-test-0";
  static final String AUDITOR = "auditor-token-for-unit-test";

  final BearerAuthFilter filter =
      new BearerAuthFilter(
          new ApiProperties(OPERATOR, BROKER, AUDITOR),
          new Problems("https://ifpp.example/problems/", JsonMapper.builder().build()));

  int status(String token, String method, String uri) throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest(method, uri);
    request.addHeader("Authorization", "Bearer " + token);
    MockHttpServletResponse response = new MockHttpServletResponse();
    MockFilterChain chain = new MockFilterChain();
    filter.doFilter(request, response, chain);
    return chain.getRequest() == null ? response.getStatus() : 200;
  }

  @Test
  void auditor_readsAndVerifiesTheAuditChain() throws Exception {
    assertThat(status(AUDITOR, "GET", "/api/v1/audit/head")).isEqualTo(200);
    assertThat(status(AUDITOR, "GET", "/api/v1/audit/verify")).isEqualTo(200);
    assertThat(status(AUDITOR, "GET", "/api/v1/audit/checkpoints")).isEqualTo(200);
    assertThat(status(AUDITOR, "POST", "/api/v1/audit/verify")).isEqualTo(200);
  }

  @Test
  void auditor_isRefusedEveryOtherCall() throws Exception {
    assertThat(status(AUDITOR, "POST", "/api/v1/audit/checkpoints")).isEqualTo(403);
    assertThat(status(AUDITOR, "POST", "/api/v1/profiles")).isEqualTo(403);
    assertThat(status(AUDITOR, "POST", "/api/v1/euicc-data")).isEqualTo(403);
    assertThat(status(AUDITOR, "POST", "/api/v1/bindings")).isEqualTo(403);
    assertThat(status(AUDITOR, "POST", "/api/v1/orders")).isEqualTo(403);
    assertThat(status(AUDITOR, "GET", "/api/v1/orders/x/operator-report")).isEqualTo(403);
    assertThat(status(AUDITOR, "POST", "/api/v1/results")).isEqualTo(403);
    assertThat(status(OPERATOR, "POST", "/api/v1/orders")).isEqualTo(200);
    assertThat(status(BROKER, "GET", "/api/v1/audit/head")).isEqualTo(403);
    assertThat(status("unknown-token-for-unit-tests", "GET", "/api/v1/audit/head")).isEqualTo(401);
  }

  @Test
  void withoutAnAuditorToken_nobodyIsAuditor() throws Exception {
    BearerAuthFilter noAuditor =
        new BearerAuthFilter(
            new ApiProperties(OPERATOR, BROKER, ""),
            new Problems("https://ifpp.example/problems/", JsonMapper.builder().build()));
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/audit/head");
    request.addHeader("Authorization", "Bearer " + AUDITOR);
    assertThat(noAuditor.roleOf(request)).isNull();
    assertThatThrownBy(
            () ->
                new BearerAuthFilter(
                    new ApiProperties(OPERATOR, BROKER, "short"),
                    new Problems("p:", JsonMapper.builder().build())))
        .isInstanceOf(IllegalStateException.class);
  }
}
