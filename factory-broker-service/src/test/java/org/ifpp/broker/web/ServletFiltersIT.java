package org.ifpp.broker.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import java.util.List;
import java.util.Map;
import org.ifpp.broker.support.BrokerItSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.web.filter.FormContentFilter;
import org.springframework.web.filter.RequestContextFilter;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;

/**
 * What stands in front of every API call: the console's filters only on the console's paths (the
 * hot API paths, claims and reports, never pass through Thymeleaf's link rewriting or Spring
 * Security), and none of the Spring Boot filters that these services do not need.
 */
class ServletFiltersIT extends BrokerItSupport {

  @Autowired ApplicationContext context;
  @Autowired ServletContext servletContext;

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

  @Test
  void noRequestContextOrFormContentFilter() throws ClassNotFoundException {
    Map<String, ? extends FilterRegistration> registered = servletContext.getFilterRegistrations();

    assertThat(registered).as("the filters Tomcat runs").isNotEmpty();
    for (FilterRegistration r : registered.values()) {
      Class<?> type = Class.forName(r.getClassName());
      assertThat(RequestContextFilter.class.isAssignableFrom(type))
          .as("%s is a RequestContextFilter", r.getName())
          .isFalse();
      assertThat(FormContentFilter.class.isAssignableFrom(type))
          .as("%s is a FormContentFilter", r.getName())
          .isFalse();
    }
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
