package org.ifpp.euicc.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class LoadFastPathFilterTest {

  static MockHttpServletRequest request(String uri) {
    MockHttpServletRequest r = new MockHttpServletRequest("POST", uri);
    r.setContentType("application/octet-stream");
    r.addHeader("Accept", "application/octet-stream");
    r.setContent(new byte[10]);
    return r;
  }

  @Test
  void pathEid_isTheEidOfExactlyTheLoadPath() {
    assertThat(LoadFastPathFilter.pathEid(request("/api/v1/chips/8904/loads"))).isEqualTo("8904");
    assertThat(LoadFastPathFilter.pathEid(request("/api/v1/chips/ab12/loads"))).isEqualTo("ab12");
    assertThat(LoadFastPathFilter.pathEid(request("/api/v1/chips//loads"))).isNull();
    assertThat(LoadFastPathFilter.pathEid(request("/api/v1/chips/89%30/loads"))).isNull();
    assertThat(LoadFastPathFilter.pathEid(request("/api/v1/chips/89;x=1/loads"))).isNull();
    assertThat(LoadFastPathFilter.pathEid(request("/api/v1/chips/89/es10b-loads"))).isNull();
    assertThat(LoadFastPathFilter.pathEid(request("/api/v1/chips/89/loads/"))).isNull();
    assertThat(LoadFastPathFilter.pathEid(request("/api/v1/chips/a/b/loads"))).isNull();
    assertThat(LoadFastPathFilter.pathEid(request("/api/v1/chips/" + "9".repeat(65) + "/loads")))
        .isNull();
  }
}
