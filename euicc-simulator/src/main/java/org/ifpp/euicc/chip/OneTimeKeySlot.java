package org.ifpp.euicc.chip;

import java.util.Objects;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.secret.SecretBytes;

/**
 * One one-time ECDH key pair of a chip (otPK/otSK.EUICC, IFPP.md sections 3 and 4: GENS07, GENS08,
 * GENS12). The private scalar exists only while the slot is {@link State#UNUSED}; consuming or
 * wiping the slot overwrites it in memory, and the next persisted write of the chip no longer holds
 * it.
 *
 * <p>Not thread-safe: mutated only under the owning {@link Chip}'s lock.
 */
public final class OneTimeKeySlot {

  /** The life of a one-time key: created unused, then consumed by a load or wiped at finalise. */
  public enum State {
    UNUSED,
    /** Used by a load attempt that passed step 5 of section 6 (whatever the outcome after). */
    CONSUMED,
    /** Deleted unused at the end of production (DMF03/EUICCF03). */
    WIPED
  }

  private final int index;
  private final EcPublicKey publicKey;
  private State state;
  private SecretBytes privateScalar;

  private OneTimeKeySlot(int index, EcPublicKey publicKey, State state, SecretBytes privateScalar) {
    this.index = index;
    this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
    this.state = Objects.requireNonNull(state, "state");
    this.privateScalar = privateScalar;
    if ((state == State.UNUSED) != (privateScalar != null)) {
      throw new IllegalArgumentException("an unused key needs its private scalar, a used one none");
    }
  }

  /** An unused slot; takes ownership of {@code privateScalar} (32 bytes, big-endian). */
  public static OneTimeKeySlot unused(int index, EcPublicKey publicKey, SecretBytes privateScalar) {
    return new OneTimeKeySlot(index, publicKey, State.UNUSED, privateScalar);
  }

  /** A slot already consumed or wiped (as reloaded from storage): only its public key remains. */
  public static OneTimeKeySlot spent(int index, EcPublicKey publicKey, State state) {
    if (state == State.UNUSED) {
      throw new IllegalArgumentException("a spent slot cannot be UNUSED");
    }
    return new OneTimeKeySlot(index, publicKey, state, null);
  }

  public int index() {
    return index;
  }

  public EcPublicKey publicKey() {
    return publicKey;
  }

  public State state() {
    return state;
  }

  public boolean isUnused() {
    return state == State.UNUSED;
  }

  /**
   * The private scalar of an unused key. The returned object is owned by this slot: it is wiped
   * when the key is consumed or wiped, so callers must use it before that.
   *
   * @throws IllegalStateException if the key is no longer unused
   */
  public SecretBytes privateScalar() {
    if (state != State.UNUSED) {
      throw new IllegalStateException("one-time key " + index + " is " + state);
    }
    return privateScalar;
  }

  void markSpent(State newState) {
    if (state != State.UNUSED) {
      throw new IllegalStateException("one-time key " + index + " is already " + state);
    }
    privateScalar.close();
    privateScalar = null;
    state = newState;
  }

  @Override
  public String toString() {
    return "OneTimeKeySlot[" + index + ", " + state + "]";
  }
}
