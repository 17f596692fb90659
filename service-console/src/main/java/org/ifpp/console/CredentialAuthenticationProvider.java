package org.ifpp.console;

import java.util.List;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The login form's credential field (its password parameter) checked by the service's {@link
 * ConsoleAuthenticator}. The authenticated token keeps no credential: Spring Security would erase
 * it anyway, and the session must never hold an API token.
 */
final class CredentialAuthenticationProvider implements AuthenticationProvider {

  private final ConsoleAuthenticator authenticator;

  CredentialAuthenticationProvider(ConsoleAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    Object credential = authentication.getCredentials();
    if (!(credential instanceof String s) || s.isBlank() || s.length() > 512) {
      throw new BadCredentialsException("no credential");
    }
    ConsoleUser user =
        authenticator
            .authenticate(s.strip())
            .orElseThrow(() -> new BadCredentialsException("unknown credential"));
    return UsernamePasswordAuthenticationToken.authenticated(
        user, null, List.of(new SimpleGrantedAuthority("ROLE_" + user.role())));
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
