package org.ifpp.broker.web;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Leaves the claim out of the generic {@code http.server.requests} observation: it is the one call
 * made per chip, the observation cost about a tenth of its CPU (docs/factory-broker.md,
 * "Benchmark"), and the claim has its own meters ({@code broker.claims{outcome}}, {@code
 * broker.claim.latency}, {@code broker.downloads}). Every other endpoint is still observed.
 */
@Configuration(proxyBeanMethods = false)
class HttpObservationConfiguration {

  static final String CLAIMS = "/api/v1/claims";

  @Bean
  ObservationPredicate skipClaimObservation() {
    return (name, context) ->
        !(context instanceof ServerRequestObservationContext s
            && s.getCarrier() != null
            && CLAIMS.equals(s.getCarrier().getRequestURI()));
  }
}
