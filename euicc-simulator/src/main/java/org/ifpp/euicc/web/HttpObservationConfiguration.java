package org.ifpp.euicc.web;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Leaves whole-package loads ({@code POST /api/v1/chips/{eid}/loads}, the one call a production
 * line makes per chip) out of the generic {@code http.server.requests} observation, which costs
 * every request its timer and tag work; every other endpoint is still observed. What a load did is
 * in the chip's status and in the signed result the line reports.
 */
@Configuration(proxyBeanMethods = false)
class HttpObservationConfiguration {

  @Bean
  ObservationPredicate skipLoadObservation() {
    return (name, context) ->
        !(context instanceof ServerRequestObservationContext s
            && s.getCarrier() != null
            && isLoad(s.getCarrier().getRequestURI()));
  }

  static boolean isLoad(String uri) {
    return uri != null && uri.startsWith("/api/v1/chips/") && uri.endsWith("/loads");
  }
}
