package org.ifpp.web;

import java.util.Locale;
import org.springframework.http.HttpStatus;

/**
 * One entry of a service's error catalogue: a stable, documented {@code code} (kebab-case, the
 * {@code code} property of every problem+json answer) and the HTTP status the web layer answers it
 * with. Each service has one catalogue enum implementing this; services throw {@link
 * DomainException} with an entry and never choose a status themselves.
 */
public interface ErrorCode {

  /** The stable code, e.g. {@code package-reported}. */
  String code();

  /** The status the problem+json answer carries. */
  HttpStatus status();

  /** The kebab-case code of an enum constant: {@code PACKAGE_REPORTED -> package-reported}. */
  static String kebab(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
