package org.ifpp.crypto.pir;

/** The outcome of parsing a Profile Installation Result: the parsed result, or why not. */
public sealed interface PirParseResult {

  record Parsed(SignedProfileInstallationResult result) implements PirParseResult {}

  /**
   * @param error the stable reason
   * @param detail which field, for diagnostics (no secret content)
   */
  record Malformed(PirError error, String detail) implements PirParseResult {}
}
