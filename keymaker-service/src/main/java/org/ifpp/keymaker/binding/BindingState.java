package org.ifpp.keymaker.binding;

/** The life of one binding (profile, eUICC, one-time key). */
public enum BindingState {
  /** Pairing decided; no key chosen yet. */
  PLANNED,
  /** A one-time key is chosen and SPENT (committed); the package is being built. */
  RESERVED,
  /** Package built, signed, and in the outbox for the broker. */
  BOUND,
  /** The chip's signed result says installed. */
  INSTALLED,
  /** The chip's signed result says failed, or no key was left. */
  FAILED,
  /** Given up without a result (crash before the package existed, or an operator re-bind). */
  ABANDONED
}
