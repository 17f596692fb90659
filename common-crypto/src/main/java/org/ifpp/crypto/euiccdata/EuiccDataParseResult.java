package org.ifpp.crypto.euiccdata;

/** The outcome of parsing one chip's eUICC data: the data, or why it is malformed. */
public sealed interface EuiccDataParseResult {

  record Parsed(EuiccData data) implements EuiccDataParseResult {}

  /**
   * @param detail which field is wrong, for diagnostics (nothing secret is in eUICC data)
   */
  record Malformed(String detail) implements EuiccDataParseResult {}
}
