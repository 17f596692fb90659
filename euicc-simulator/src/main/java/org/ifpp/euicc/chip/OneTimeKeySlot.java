package org.ifpp.euicc.chip;

import java.util.Objects;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ec.OneTimeKeyPair;

/**
 * One one-time ECDH key pair of a chip (otPK/otSK.EUICC, IFPP.md sections 3 and 4: GENS07, GENS08,
 * GENS12). The key pair exists only while the slot is {@link State#UNUSED}; once consumed or wiped,
 * the slot drops it (wiping it, or leaving the wipe to the opener that is using it), and the next
 * persisted write of the chip no longer holds the private scalar.
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
  private OneTimeKeyPair keyPair;

  private OneTimeKeySlot(int index, EcPublicKey publicKey, State state, OneTimeKeyPair keyPair) {
    this.index = index;
    this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
    this.state = Objects.requireNonNull(state, "state");
    this.keyPair = keyPair;
    if ((state == State.UNUSED) != (keyPair != null)) {
      throw new IllegalArgumentException("an unused key needs its key pair, a used one none");
    }
    if (keyPair != null && !keyPair.publicKey().equals(publicKey)) {
      throw new IllegalArgumentException("key pair does not match the public key");
    }
  }

  /** An unused slot; takes ownership of {@code keyPair}. */
  public static OneTimeKeySlot unused(int index, OneTimeKeyPair keyPair) {
    return new OneTimeKeySlot(index, keyPair.publicKey(), State.UNUSED, keyPair);
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
   * The key pair of an unused key, owned by this slot until it is consumed (then by whoever
   * consumed it, who must close it) or wiped.
   *
   * @throws IllegalStateException if the key is no longer unused
   */
  public OneTimeKeyPair keyPair() {
    if (state != State.UNUSED) {
      throw new IllegalStateException("one-time key " + index + " is " + state);
    }
    return keyPair;
  }

  /**
   * Marks the key spent and forgets its pair.
   *
   * @param wipe close (wipe) the pair now; false when the caller that consumed it still needs it
   *     for the ECDH of this very load and closes it afterwards
   */
  void markSpent(State newState, boolean wipe) {
    if (state != State.UNUSED) {
      throw new IllegalStateException("one-time key " + index + " is already " + state);
    }
    if (wipe) {
      keyPair.close();
    }
    keyPair = null;
    state = newState;
  }

  @Override
  public String toString() {
    return "OneTimeKeySlot[" + index + ", " + state + "]";
  }
}
