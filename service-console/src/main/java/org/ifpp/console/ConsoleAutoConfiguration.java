package org.ifpp.console;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.thymeleaf.autoconfigure.ThymeleafAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;

/**
 * The operations console's front door, shared by the services that declare a {@link
 * ConsoleAuthenticator}: Spring Security on {@code /console/**} only (the APIs keep their Bearer
 * filters and never see it). A login form takes the role's API credential; the session cookie is
 * {@code HttpOnly}, {@code Secure}, {@code SameSite=Strict} and scoped to {@code /console}
 * (console.properties); every POST needs the session's CSRF token and a role that may send it
 * ({@link ConsoleAuthenticator#mayPost}); logout is a POST; pages carry a Content-Security-Policy
 * that allows only the service's own scripts and styles (no CDN, no inline script).
 */
@AutoConfiguration(before = ThymeleafAutoConfiguration.class)
@ConditionalOnBean(ConsoleAuthenticator.class)
@EnableWebSecurity
@Import(ConsoleLoginController.class)
@PropertySource("classpath:console.properties")
public class ConsoleAutoConfiguration {

  /** Where every console page lives. */
  public static final String PATH = "/console";

  static final String LOGIN = PATH + "/login";

  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none';"
          + " object-src 'none'";

  @Bean
  ConsoleSession consoleSession(ConsoleAuthenticator authenticator) {
    return new ConsoleSession(authenticator);
  }

  @Bean
  SecurityFilterChain consoleSecurity(HttpSecurity http, ConsoleAuthenticator authenticator)
      throws Exception {
    http.securityMatcher(PATH + "/**")
        .authenticationProvider(new CredentialAuthenticationProvider(authenticator))
        .authorizeHttpRequests(
            a ->
                a.requestMatchers(LOGIN, PATH + "/assets/**")
                    .permitAll()
                    .requestMatchers(HttpMethod.POST, PATH + "/**")
                    .access((auth, context) -> mayPost(authenticator, auth.get(), context))
                    .anyRequest()
                    .authenticated())
        .formLogin(
            f ->
                f.loginPage(LOGIN)
                    .passwordParameter("credential")
                    .defaultSuccessUrl(PATH, true)
                    .failureUrl(LOGIN + "?error"))
        .logout(l -> l.logoutUrl(PATH + "/logout").logoutSuccessUrl(LOGIN + "?logout"))
        // A refused action (no or a wrong CSRF token, or one the role may not take) is answered
        // here, 403, not by the service's error page (the problem+json of its API).
        .exceptionHandling(e -> e.accessDeniedHandler(ConsoleAutoConfiguration::denied))
        .headers(
            h ->
                h.contentSecurityPolicy(c -> c.policyDirectives(CSP))
                    .referrerPolicy(r -> r.policy(ReferrerPolicy.NO_REFERRER)));
    return http.build();
  }

  /** A POST by a logged-in user whose role may send it (logout is handled before this check). */
  private static AuthorizationDecision mayPost(
      ConsoleAuthenticator authenticator,
      Authentication auth,
      RequestAuthorizationContext context) {
    HttpServletRequest request = context.getRequest();
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return new AuthorizationDecision(
        auth != null
            && auth.isAuthenticated()
            && auth.getPrincipal() instanceof ConsoleUser u
            && authenticator.mayPost(u, path));
  }

  private static void denied(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    response.setStatus(HttpServletResponse.SC_FORBIDDEN);
    response.setContentType("text/plain;charset=UTF-8");
    response
        .getWriter()
        .write(
            e instanceof CsrfException
                ? "Forbidden: this action needs the page's CSRF token; reload the page."
                : "Forbidden: your role may not take this action.");
  }

  /**
   * Spring Security's filter on the console's paths alone (a Filter bean would otherwise be
   * registered on every path, and the hot API paths would pay for it).
   */
  @Bean
  FilterRegistrationBean<Filter> consoleSecurityFilter(
      @Qualifier("springSecurityFilterChain") Filter springSecurityFilterChain) {
    FilterRegistrationBean<Filter> r = new FilterRegistrationBean<>(springSecurityFilterChain);
    r.addUrlPatterns(PATH, PATH + "/*");
    r.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
    r.setOrder(Ordered.HIGHEST_PRECEDENCE + 30);
    return r;
  }

  /**
   * Thymeleaf's link rewriting for versioned resources on the console's paths alone: Spring Boot
   * registers it on every path once the resource chain is on (webjars-locator-lite turns it on),
   * and every API call paid for its request wrapper (docs/benchmarks.md, section 3). Declared here,
   * Boot's own is not made.
   */
  @Bean
  FilterRegistrationBean<ResourceUrlEncodingFilter> consoleResourceUrlEncodingFilter() {
    FilterRegistrationBean<ResourceUrlEncodingFilter> r =
        new FilterRegistrationBean<>(new ResourceUrlEncodingFilter());
    r.addUrlPatterns(PATH, PATH + "/*");
    r.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
    return r;
  }
}
