package org.ifpp.broker.console;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.Filter;
import java.util.List;
import java.util.Map;
import org.ifpp.broker.support.BrokerItSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;

/**
 * The console's servlet filters stand in front of its own paths only: the hot API paths (claims,
 * reports) never pass through Thymeleaf's link rewriting or Spring Security.
 */
class ConsoleFiltersIT extends BrokerItSupport {

  @Autowired ApplicationContext context;

  @Test
  void resourceUrlEncoding_onTheConsolesPathsOnly() {
    List<FilterRegistrationBean<?>> rewriting = registrationsOf(ResourceUrlEncodingFilter.class);

    assertThat(rewriting).hasSize(1);
    assertThat(rewriting.get(0).getUrlPatterns()).containsExactly("/console", "/console/*");
    assertThat(context.getBeansOfType(ResourceUrlEncodingFilter.class))
        .as("no Filter bean that Boot would register on every path")
        .isEmpty();
  }

  @Test
  void springSecurity_onTheConsolesPathsOnly() {
    FilterRegistrationBean<?> security =
        context.getBean("consoleSecurityFilter", FilterRegistrationBean.class);

    assertThat(security.getUrlPatterns()).containsExactly("/console", "/console/*");
  }

  @SuppressWarnings("rawtypes")
  private List<FilterRegistrationBean<?>> registrationsOf(Class<? extends Filter> type) {
    Map<String, FilterRegistrationBean> all = context.getBeansOfType(FilterRegistrationBean.class);
    return all.values().stream()
        .filter(r -> type.isInstance(r.getFilter()))
        .<FilterRegistrationBean<?>>map(r -> r)
        .toList();
  }
}
