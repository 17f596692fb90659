package org.ifpp.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class UnobservedPathsObservationFilterTest {

  @Test
  void unobservedPaths_makeNoObservation_everyOtherRequestIsObserved() throws Exception {
    List<String> started = new ArrayList<>();
    ObservationRegistry registry = ObservationRegistry.create();
    registry
        .observationConfig()
        .observationHandler(
            new ObservationHandler<Observation.Context>() {
              @Override
              public void onStart(Observation.Context context) {
                started.add(context.getName());
              }

              @Override
              public boolean supportsContext(Observation.Context context) {
                return true;
              }
            });
    UnobservedPathsObservationFilter filter =
        new UnobservedPathsObservationFilter(
            registry,
            new DefaultServerRequestObservationConvention(),
            new UnobservedPaths(List.of("/api/v1/claims", "/api/v1/chips/*/loads")));

    for (String uri : List.of("/api/v1/claims", "/api/v1/chips/8904/loads")) {
      MockHttpServletRequest request = new MockHttpServletRequest("POST", uri);
      MockFilterChain chain = new MockFilterChain();
      filter.doFilter(request, new MockHttpServletResponse(), chain);
      assertThat(chain.getRequest()).as(uri).isSameAs(request); // the request went on
    }
    assertThat(started).isEmpty();

    filter.doFilter(
        new MockHttpServletRequest("POST", "/api/v1/reports"),
        new MockHttpServletResponse(),
        new MockFilterChain());
    assertThat(started).containsExactly("http.server.requests");
  }
}
