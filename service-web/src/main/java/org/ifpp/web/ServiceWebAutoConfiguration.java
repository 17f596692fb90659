package org.ifpp.web;

import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import javax.sql.DataSource;
import org.apache.catalina.core.StandardHost;
import org.ifpp.crypto.provider.AccpSupport;
import org.ifpp.web.idempotency.IdempotencyService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.servlet.filter.OrderedRequestContextFilter;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;
import org.springframework.core.Ordered;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.filter.RequestContextFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web plumbing every service shares, configured by {@code ifpp.web.*} ({@link WebProperties}):
 * problem+json from one advice, the error page and Tomcat's own refusals; one body-size limit and
 * one header-size limit; undecodable parameters refused; the hot paths left out of the HTTP
 * observation; the Idempotency-Key store where the service has a database.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"
    },
    beforeName = {
      "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration",
      "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration",
      "org.springframework.boot.webmvc.autoconfigure.WebMvcObservationAutoConfiguration"
    })
@EnableConfigurationProperties(WebProperties.class)
@PropertySource("classpath:service-web.properties")
public class ServiceWebAutoConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ServiceWebAutoConfiguration.class);

  @Bean
  Problems problems(WebProperties properties, JsonMapper mapper) {
    return new Problems(properties.problemType(), mapper);
  }

  @Bean
  ProblemAdvice problemAdvice(
      Problems problems, WebProperties properties, ObjectProvider<ConflictCodes> conflictCodes) {
    return new ProblemAdvice(problems, properties, conflictCodes);
  }

  @Bean
  ProblemErrorController problemErrorController(ProblemAdvice advice, Problems problems) {
    return new ProblemErrorController(advice, problems);
  }

  @Bean
  FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(
      WebProperties properties, Problems problems) {
    FilterRegistrationBean<BodySizeLimitFilter> r =
        new FilterRegistrationBean<>(
            new BodySizeLimitFilter(properties.maxBodySize().toBytes(), problems));
    r.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return r;
  }

  @Bean
  @ConditionalOnBean(ActuatorAccess.class)
  FilterRegistrationBean<ActuatorAccessFilter> actuatorAccessFilter(
      ActuatorAccess access, Problems problems, ProblemAdvice advice) {
    FilterRegistrationBean<ActuatorAccessFilter> r =
        new FilterRegistrationBean<>(new ActuatorAccessFilter(access, problems, advice));
    r.setOrder(Ordered.HIGHEST_PRECEDENCE + 15);
    r.addUrlPatterns("/actuator/*");
    return r;
  }

  @Bean
  FilterRegistrationBean<UnparsableParameterFilter> unparsableParameterFilter(Problems problems) {
    FilterRegistrationBean<UnparsableParameterFilter> r =
        new FilterRegistrationBean<>(new UnparsableParameterFilter(problems));
    r.setOrder(Ordered.HIGHEST_PRECEDENCE + 11);
    return r;
  }

  /**
   * Spring's RequestContextFilter, which Spring Boot puts in front of every request, holds the
   * request in thread-locals for code that runs outside the DispatcherServlet. The dispatcher sets
   * the same thread-locals for every handler, and no filter of these services reads them, so Boot's
   * filter is registered disabled: one filter fewer on every call (the single claim's profile,
   * docs/benchmarks.md).
   */
  @Bean
  FilterRegistrationBean<RequestContextFilter> disabledRequestContextFilter() {
    FilterRegistrationBean<RequestContextFilter> r =
        new FilterRegistrationBean<>(new OrderedRequestContextFilter());
    r.setEnabled(false);
    return r;
  }

  /**
   * Whether native crypto (ACCP) serves this service, once it is ready: without it TLS and the
   * engine's P-256 run in Java, at several times the CPU. A warning when ACCP is there and will not
   * load (a temporary directory mounted {@code noexec}, for one).
   */
  @Bean
  ApplicationListener<ApplicationReadyEvent> nativeCryptoStatus() {
    return event -> {
      if (AccpSupport.failedToLoad()) {
        log.warn("native crypto (ACCP): {}", AccpSupport.status());
      } else {
        log.info("native crypto (ACCP): {}", AccpSupport.status());
      }
    };
  }

  /** Tomcat's header limit and its error answers as problem+json (no HTML, no server version). */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemTomcat(
      WebProperties properties, Problems problems) {
    int headerSize = (int) properties.maxHeaderSize().toBytes();
    return factory -> {
      factory.addConnectorCustomizers(
          connector ->
              connector.setProperty("maxHttpRequestHeaderSize", String.valueOf(headerSize)));
      factory.addContextCustomizers(
          context -> {
            if (context.getParent() instanceof StandardHost host) {
              host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
              host.getPipeline().addValve(new ProblemErrorReportValve(problems));
            }
          });
    };
  }

  /** HTTPS, or plain HTTP only when asked for by name (with a warning). */
  @Bean
  TransportSecurity transportSecurity(
      @Value("${ifpp.web.plain-http:false}") boolean plainHttpAllowed) {
    return new TransportSecurity(plainHttpAllowed);
  }

  /** {@code {"count": 1.5}} is not a count: a 400, not a silently truncated 1. */
  @Bean
  JsonMapperBuilderCustomizer noFloatsAsIntegers() {
    return builder -> builder.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
  }

  /**
   * Spring Boot's {@code http.server.requests} filter (same name, order and dispatcher types),
   * which skips the {@code ifpp.web.unobserved-paths}: registered before Boot's, which then steps
   * back.
   */
  @Bean
  @ConditionalOnBean(ObservationRegistry.class)
  @ConditionalOnExpression("!'${ifpp.web.unobserved-paths:}'.isEmpty()")
  FilterRegistrationBean<ServerHttpObservationFilter> webMvcObservationFilter(
      ObservationRegistry registry,
      ObjectProvider<ServerRequestObservationConvention> customConvention,
      WebProperties properties,
      @Value("${management.observations.http.server.requests.name:http.server.requests}")
          String name) {
    ServerRequestObservationConvention convention =
        customConvention.getIfAvailable(() -> new DefaultServerRequestObservationConvention(name));
    FilterRegistrationBean<ServerHttpObservationFilter> r =
        new FilterRegistrationBean<>(
            new UnobservedPathsObservationFilter(
                registry, convention, new UnobservedPaths(properties.unobservedPaths())));
    r.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
    r.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
    return r;
  }

  /** The Idempotency-Key store, for the services that have a database. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(JdbcTemplate.class)
  @ConditionalOnBean(DataSource.class)
  @EnableScheduling // the hourly expiry of old records
  static class IdempotencyConfiguration {

    @Bean
    IdempotencyService idempotencyService(
        JdbcTemplate jdbc,
        TransactionTemplate tx,
        JsonMapper json,
        ObjectProvider<Clock> clock,
        WebProperties properties) {
      return new IdempotencyService(
          jdbc,
          tx,
          json,
          clock.getIfAvailable(Clock::systemUTC),
          properties.idempotencyRetention());
    }
  }
}
