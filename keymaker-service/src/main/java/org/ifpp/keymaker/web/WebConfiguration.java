package org.ifpp.keymaker.web;

import java.security.Principal;
import java.util.Optional;
import org.ifpp.web.ActuatorAccess;
import org.ifpp.web.Problems;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Authentication of {@code /api/**} (Idempotency-Key, limits and problem+json come from the shared
 * service-web module); the actuator's metrics and health components are the operator's.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiProperties.class)
class WebConfiguration {

  @Bean
  BearerAuthFilter bearerAuth(ApiProperties properties, Problems problems) {
    return new BearerAuthFilter(properties, problems);
  }

  @Bean
  FilterRegistrationBean<BearerAuthFilter> bearerAuthFilter(BearerAuthFilter filter) {
    FilterRegistrationBean<BearerAuthFilter> r = new FilterRegistrationBean<>(filter);
    r.setOrder(20);
    r.addUrlPatterns("/api/*");
    return r;
  }

  @Bean
  ActuatorAccess operatorOnly(BearerAuthFilter bearer) {
    Principal operator = () -> "operator";
    return request ->
        bearer.roleOf(request) == Role.OPERATOR ? Optional.of(operator) : Optional.empty();
  }
}
