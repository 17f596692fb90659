package org.ifpp.keymaker.reports;

/** Why a line has no signed result for a device (the factory's claim, never verified). */
public enum NoResultReason {
  /** The line could not talk to the chip. */
  UNREACHABLE,
  /** The device was damaged on the line. */
  DAMAGED,
  /** The device was taken off the line. */
  REMOVED,
  /** The line never tried (the run ended first). */
  NOT_ATTEMPTED
}
