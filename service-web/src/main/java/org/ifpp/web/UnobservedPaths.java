package org.ifpp.web;

import java.util.List;

/**
 * The hot paths named in {@code ifpp.web.unobserved-paths} (the one call made per chip, which has
 * its own meters), left out of the generic {@code http.server.requests} observation by {@link
 * UnobservedPathsObservationFilter}. A pattern is a path with at most one {@code *} (any
 * characters), matched by prefix and suffix: no regex, no allocation per request.
 */
final class UnobservedPaths {

  private record Pattern(String prefix, String suffix, boolean exact) {
    boolean matches(String uri) {
      return exact
          ? uri.equals(prefix)
          : uri.length() >= prefix.length() + suffix.length()
              && uri.startsWith(prefix)
              && uri.endsWith(suffix);
    }
  }

  private final Pattern[] patterns;

  UnobservedPaths(List<String> paths) {
    this.patterns =
        paths.stream()
            .map(
                p -> {
                  int star = p.indexOf('*');
                  return star < 0
                      ? new Pattern(p, "", true)
                      : new Pattern(p.substring(0, star), p.substring(star + 1), false);
                })
            .toArray(Pattern[]::new);
  }

  /** Whether {@code uri} is one of the unobserved paths (an exact path or the star's pattern). */
  boolean isUnobserved(String uri) {
    if (uri == null) {
      return false;
    }
    for (Pattern p : patterns) {
      if (p.matches(uri)) {
        return true;
      }
    }
    return false;
  }
}
