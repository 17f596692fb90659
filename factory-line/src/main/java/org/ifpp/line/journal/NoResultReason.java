package org.ifpp.line.journal;

/**
 * Why a device of an order has no signed result, in the line's words (the loading report's {@code
 * NO_RESULT} entries, docs/orders.md). These are the factory's claims: the Key Maker records them
 * and changes no binding for them. A line journals them ({@link ResultJournal#noResult}).
 */
public enum NoResultReason {
  /**
   * The line could not reach the chip (no card, no answer, a timeout, another chip in the reader).
   */
  UNREACHABLE,
  /** The chip answered, but not as an eUICC must (no signed result, a status word not allowed). */
  DAMAGED,
  /** The chip left the reader during the exchange, or the operator took it off the line. */
  REMOVED,
  /** The line never pushed a package into the chip (no package, not reached, stopped). */
  NOT_ATTEMPTED
}
