package org.ifpp.keymaker.web;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Authentication first, then idempotency (keys are scoped by the authenticated role). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiProperties.class)
class WebConfiguration {

  /** Largest accepted request body: a batch of a few hundred 12 KB profiles in base64. */
  static final int MAX_BODY = 64 * 1024 * 1024;

  @Bean
  FilterRegistrationBean<BearerAuthFilter> bearerAuthFilter(ApiProperties properties) {
    FilterRegistrationBean<BearerAuthFilter> r =
        new FilterRegistrationBean<>(new BearerAuthFilter(properties));
    r.setOrder(10);
    r.addUrlPatterns("/api/*");
    return r;
  }

  @Bean
  FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(JdbcTemplate jdbc) {
    FilterRegistrationBean<IdempotencyFilter> r =
        new FilterRegistrationBean<>(new IdempotencyFilter(jdbc, MAX_BODY));
    r.setOrder(20);
    r.addUrlPatterns("/api/*");
    return r;
  }
}
