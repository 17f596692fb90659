package org.ifpp.crypto.euiccdata;

import java.util.List;

/**
 * Many chips' {@link EuiccData} in one file (tag E2, {@code docs/euicc-data-format.md}): what an
 * EUM delivers per production lot.
 */
public final class EuiccDataBatch {

  private final List<EuiccData> records;

  private EuiccDataBatch(List<EuiccData> records) {
    this.records = records;
  }

  public static EuiccDataBatch of(List<EuiccData> records) {
    return new EuiccDataBatch(List.copyOf(records));
  }

  public List<EuiccData> records() {
    return records;
  }

  public byte[] encode() {
    return EuiccDataCodec.encodeBatch(records);
  }

  /** Parses strictly; never throws for bad input. */
  public static BatchParseResult parse(byte[] der) {
    return EuiccDataCodec.parseBatch(der);
  }

  @Override
  public String toString() {
    return "EuiccDataBatch[" + records.size() + " eUICCs]";
  }
}
