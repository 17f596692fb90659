package org.ifpp.broker.auth;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a client may do. The Key Maker holds the first three, a line the next four. */
public enum Scope {
  UPLOAD,
  EXPORT,
  PURGE,
  CLAIM,
  DOWNLOAD,
  REPORT,
  RELEASE,
  /** The factory supervisor: the broker's console (lines, batches, purge); no package content. */
  SUPERVISE,
  /** Manage clients and credentials. */
  ADMIN;

  /** The lower-case name used in configuration and in the admin API. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Scopes a line client needs to be bound to a factory. */
  public boolean isLineScope() {
    return this == CLAIM || this == DOWNLOAD || this == REPORT || this == RELEASE;
  }

  /**
   * Parses a comma-separated list such as {@code "claim,download"}.
   *
   * @throws IllegalArgumentException on an unknown name
   */
  public static Set<Scope> parseList(String text) {
    EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
    if (text == null || text.isBlank()) {
      return scopes;
    }
    for (String part : text.split(",")) {
      String name = part.strip();
      if (!name.isEmpty()) {
        scopes.add(parse(name));
      }
    }
    return scopes;
  }

  public static Scope parse(String name) {
    return Arrays.stream(values())
        .filter(s -> s.wireName().equals(name.strip().toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown scope"));
  }

  public static String toList(Set<Scope> scopes) {
    return String.join(",", scopes.stream().map(Scope::wireName).sorted().toList());
  }
}
