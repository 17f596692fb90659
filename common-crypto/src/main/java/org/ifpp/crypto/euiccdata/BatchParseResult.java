package org.ifpp.crypto.euiccdata;

import java.util.List;

/**
 * The outcome of parsing an {@link EuiccDataBatch}: one parse result per chip, in file order (a
 * malformed chip does not spoil the others), or why the container itself is malformed.
 */
public sealed interface BatchParseResult {

  record Parsed(List<EuiccDataParseResult> records) implements BatchParseResult {
    public Parsed {
      records = List.copyOf(records);
    }
  }

  record Malformed(String detail) implements BatchParseResult {}
}
