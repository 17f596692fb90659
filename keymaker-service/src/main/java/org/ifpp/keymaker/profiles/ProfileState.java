package org.ifpp.keymaker.profiles;

/** Where a profile is in its life (IFPP.md section 4). */
public enum ProfileState {
  /** Imported and protected; may be bound. */
  AVAILABLE,
  /** Given to a binding (planned, reserved or bound, awaiting the chip's result). */
  ALLOCATED,
  /** The chip reported a successful installation (signed result verified). */
  INSTALLED,
  /** Every allowed attempt failed. */
  FAILED
}
