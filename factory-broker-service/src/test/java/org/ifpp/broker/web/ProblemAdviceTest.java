package org.ifpp.broker.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.CannotSerializeTransactionException;
import org.springframework.dao.DeadlockLoserDataAccessException;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

class ProblemAdviceTest {

  private final ProblemAdvice advice = new ProblemAdvice(JsonMapper.builder().build());

  @Test
  void aDeadlockOrSerialisationFailure_is503TransientConflict_notA500() {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/reports");
    SQLException deadlock = new SQLException("deadlock detected", "40P01");
    for (Exception e :
        new Exception[] {
          new DeadlockLoserDataAccessException("deadlock", deadlock),
          new CannotAcquireLockException("lock", deadlock),
          new CannotSerializeTransactionException("serialization", deadlock)
        }) {
      ResponseEntity<Object> r = advice.transientConflict(e, request);
      assertThat(r.getStatusCode().value()).isEqualTo(503);
      assertThat(r.getHeaders().getFirst("Retry-After")).isEqualTo("1");
      String body = new String((byte[]) r.getBody(), StandardCharsets.UTF_8);
      assertThat(body).contains("\"code\":\"transient-conflict\"").doesNotContain("40P01");
    }
  }
}
