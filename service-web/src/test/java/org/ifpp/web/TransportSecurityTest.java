package org.ifpp.web;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.Ssl;

class TransportSecurityTest {

  @Test
  void noTls_andPlainHttpNotAskedFor_refusesToStart() {
    assertThatThrownBy(() -> new TransportSecurity(false).check(null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("server.ssl.bundle")
        .hasMessageContaining("ifpp.web.plain-http=true");
    Ssl disabled = new Ssl();
    disabled.setBundle("server");
    disabled.setEnabled(false);
    assertThatThrownBy(() -> new TransportSecurity(false).check(disabled))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void plainHttpAskedFor_starts() {
    assertThatCode(() -> new TransportSecurity(true).check(null)).doesNotThrowAnyException();
  }

  @Test
  void tlsBundle_starts() {
    Ssl ssl = new Ssl();
    ssl.setBundle("server");
    assertThatCode(() -> new TransportSecurity(false).check(ssl)).doesNotThrowAnyException();
  }
}
