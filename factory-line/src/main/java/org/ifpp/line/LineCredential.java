package org.ifpp.line;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A line's broker credential, {@code NAME=SECRET} on the command line or one per line in a file.
 * Its {@code toString} never shows the secret.
 */
public record LineCredential(String name, String secret) {

  public static LineCredential parse(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0 || eq == text.length() - 1) {
      throw new IllegalArgumentException("a line credential is NAME=SECRET");
    }
    return new LineCredential(text.substring(0, eq).strip(), text.substring(eq + 1).strip());
  }

  /** The Authorization header value for {@code scheme} (bearer: the secret; basic: name:secret). */
  public String authorization(String scheme) {
    if ("basic".equalsIgnoreCase(scheme)) {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString((name + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }
    return "Bearer " + secret;
  }

  @Override
  public String toString() {
    return name + "=[REDACTED]";
  }
}
