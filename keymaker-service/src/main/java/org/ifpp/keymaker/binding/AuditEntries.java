package org.ifpp.keymaker.binding;

import java.util.HexFormat;

/**
 * The per-binding lists inside a chunk's audit record: fields joined by '/', entries by ',' (no
 * field contains either).
 */
final class AuditEntries {

  static final HexFormat HEX = HexFormat.of().withUpperCase();

  private final StringBuilder b = new StringBuilder();

  void add(String... fields) {
    if (b.length() > 0) {
      b.append(',');
    }
    b.append(String.join("/", fields));
  }

  @Override
  public String toString() {
    return b.toString();
  }
}
