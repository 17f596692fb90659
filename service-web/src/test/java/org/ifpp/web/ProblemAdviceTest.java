package org.ifpp.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DeadlockLoserDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** The shared advice: codes, statuses, headers, and nothing internal in the answer. */
class ProblemAdviceTest {

  enum Colour {
    RED,
    GREEN
  }

  enum TestError implements ErrorCode {
    THING_NOT_FOUND(HttpStatus.NOT_FOUND),
    INVALID_THING_ID(HttpStatus.BAD_REQUEST),
    NOT_YOURS(HttpStatus.UNAUTHORIZED);

    private final HttpStatus status;

    TestError(HttpStatus status) {
      this.status = status;
    }

    @Override
    public String code() {
      return ErrorCode.kebab(this);
    }

    @Override
    public HttpStatus status() {
      return status;
    }
  }

  record Count(int count) {}

  /** A typed id parsed at the edge by a converter that refuses with its own code. */
  record ThingId(String value) {
    static ThingId parse(String text) {
      if (!text.matches("[0-9]{4}")) {
        throw new DomainException(TestError.INVALID_THING_ID, "a thing id is 4 digits");
      }
      return new ThingId(text);
    }
  }

  @RestController
  static class TestController {
    @GetMapping("/things")
    String things(@RequestParam(required = false) Colour colour) {
      return String.valueOf(colour);
    }

    @GetMapping("/things/{id}")
    String thing(@org.springframework.web.bind.annotation.PathVariable ThingId id) {
      return id.value();
    }

    @GetMapping("/missing")
    String missing() {
      throw new DomainException(TestError.THING_NOT_FOUND, "no such thing");
    }

    @GetMapping("/outage")
    String outage() {
      throw new CannotGetJdbcConnectionException(
          "no connection", new SQLTransientConnectionException("pool timeout"));
    }

    @PostMapping("/count")
    String count(@RequestBody Count c) {
      return String.valueOf(c.count());
    }
  }

  private final WebProperties properties = new WebProperties(null, null, null, null, null, null);
  private final JsonMapper json =
      JsonMapper.builder()
          .disable(tools.jackson.databind.DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .build();
  private final Problems problems = new Problems("urn:test:problem:", json);
  private final ProblemAdvice advice =
      new ProblemAdvice(
          problems,
          properties,
          new StaticListableBeanFactory().getBeanProvider(ConflictCodes.class));

  private MockMvc mvc() {
    org.springframework.format.support.FormattingConversionService conversions =
        new org.springframework.format.support.DefaultFormattingConversionService();
    conversions.addConverter(String.class, ThingId.class, ThingId::parse);
    return MockMvcBuilders.standaloneSetup(new TestController())
        .setConversionService(conversions)
        .setControllerAdvice(advice)
        .addFilters(new UnparsableParameterFilter(problems))
        .setMessageConverters(
            new org.springframework.http.converter.ByteArrayHttpMessageConverter(),
            new org.springframework.http.converter.json.JacksonJsonHttpMessageConverter(json),
            new org.springframework.http.converter.StringHttpMessageConverter())
        .build();
  }

  @Test
  void domainException_isItsCatalogueStatusAndCode() throws Exception {
    mvc()
        .perform(get("/missing"))
        .andExpect(status().isNotFound())
        .andExpect(header().string("Content-Type", "application/problem+json"))
        .andExpect(jsonPath("$.code").value("thing-not-found"))
        .andExpect(jsonPath("$.type").value("urn:test:problem:thing-not-found"))
        .andExpect(jsonPath("$.detail").value("no such thing"));
  }

  @Test
  void unknownEnumValue_is400InvalidParameter_namingNoJavaType() throws Exception {
    String body =
        mvc()
            .perform(get("/things").param("colour", "BOGUS"))
            .andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.code").value("invalid-parameter"))
            .andReturn()
            .getResponse()
            .getContentAsString(StandardCharsets.UTF_8);
    assertThat(body).contains("RED, GREEN").doesNotContain("java.", "Colour", "String");
  }

  @Test
  void pathIdItsConverterRefuses_isThatRefusalsCode() throws Exception {
    mvc().perform(get("/things/1234")).andExpect(status().isOk());
    mvc()
        .perform(get("/things/12x4"))
        .andExpect(status().isBadRequest())
        .andExpect(header().string("Content-Type", "application/problem+json"))
        .andExpect(jsonPath("$.code").value("invalid-thing-id"))
        .andExpect(jsonPath("$.detail").value("a thing id is 4 digits"));
  }

  /** Spring reads an enum parameter that trims to nothing as absent: the filter refuses it. */
  @Test
  void parameterWithAControlCharacter_isRefused_notReadAsAbsent() throws Exception {
    mvc()
        .perform(get("/things?colour=%00").param("colour", "\0"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.code").value("invalid-parameter"));
    mvc().perform(get("/things?colour=RED").param("colour", "RED")).andExpect(status().isOk());
    mvc().perform(get("/things")).andExpect(status().isOk());
  }

  @Test
  void fractionalInteger_isMalformedJson() throws Exception {
    mvc()
        .perform(post("/count").contentType(MediaType.APPLICATION_JSON).content("{\"count\":1.5}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.code").value("malformed-json"));
  }

  @Test
  void databaseOutage_is503WithRetryAfter() throws Exception {
    mvc()
        .perform(get("/outage"))
        .andExpect(status().isServiceUnavailable())
        .andExpect(header().string("Retry-After", "5"))
        .andExpect(jsonPath("$.code").value("database-unavailable"));
  }

  @Test
  void aDeadlockOrLockTimeout_is503TransientConflict_notA500() {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/reports");
    SQLException deadlock = new SQLException("deadlock detected", "40P01");
    for (Exception e :
        new Exception[] {
          new DeadlockLoserDataAccessException("deadlock", deadlock),
          new CannotAcquireLockException("lock", deadlock)
        }) {
      ResponseEntity<Object> r = advice.transientConflict(e, request);
      assertThat(r.getStatusCode().value()).isEqualTo(503);
      assertThat(r.getHeaders().getFirst("Retry-After")).isEqualTo("1");
      String body = new String((byte[]) r.getBody(), StandardCharsets.UTF_8);
      assertThat(body).contains("\"code\":\"transient-conflict\"").doesNotContain("40P01");
    }
  }

  @Test
  void terminatedConnection_isAnOutage_otherSqlErrorsAreNot() {
    assertThat(DatabaseOutage.isOutage(new RuntimeException(new SQLException("x", "57P01"))))
        .isTrue();
    assertThat(DatabaseOutage.isOutage(new RuntimeException(new SQLException("x", "08006"))))
        .isTrue();
    assertThat(DatabaseOutage.isOutage(new RuntimeException(new SQLException("x", "23505"))))
        .isFalse();
  }

  @Test
  void unauthorized_carriesWwwAuthenticate() {
    ResponseEntity<Object> r =
        advice.domain(
            new DomainException(TestError.NOT_YOURS, "who are you"),
            new MockHttpServletRequest("GET", "/x"));
    assertThat(r.getStatusCode().value()).isEqualTo(401);
    assertThat(r.getHeaders().getFirst("WWW-Authenticate")).isEqualTo("Bearer");
  }

  @Test
  void unobservedPaths_matchExactlyOrByOneStar() {
    UnobservedPaths paths =
        new UnobservedPaths(java.util.List.of("/api/v1/claims", "/api/v1/chips/*/loads"));
    assertThat(paths.isUnobserved("/api/v1/claims")).isTrue();
    assertThat(paths.isUnobserved("/api/v1/claims/batch")).isFalse();
    assertThat(paths.isUnobserved("/api/v1/chips/8904/loads")).isTrue();
    assertThat(paths.isUnobserved("/api/v1/chips/8904/sessions")).isFalse();
  }
}
