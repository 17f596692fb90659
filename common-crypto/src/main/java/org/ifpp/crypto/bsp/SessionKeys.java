package org.ifpp.crypto.bsp;

import java.util.Objects;
import org.ifpp.crypto.secret.SecretBytes;

/**
 * One BSP key set (SGP.22 section 2.6.4.2): the initial MAC chaining value, S-ENC and S-MAC, each
 * 16 bytes. The session keys of a binding come from {@link BspKdf}; the same shape carries the
 * profile protection keys (PPK-ENC, PPK-MAC, PPK initial MCV) once they replace the session keys.
 *
 * <p>Owns its three secrets: {@link #close()} wipes them all; {@link #toString()} is redacted.
 */
public final class SessionKeys implements AutoCloseable {

  private final SecretBytes initialMacChainingValue;
  private final SecretBytes sEnc;
  private final SecretBytes sMac;

  private SessionKeys(SecretBytes mcv, SecretBytes sEnc, SecretBytes sMac) {
    this.initialMacChainingValue = mcv;
    this.sEnc = sEnc;
    this.sMac = sMac;
  }

  /**
   * Takes ownership of three 16-byte secrets.
   *
   * @throws IllegalArgumentException unless each is 16 bytes
   */
  public static SessionKeys of(
      SecretBytes initialMacChainingValue, SecretBytes sEnc, SecretBytes sMac) {
    check(initialMacChainingValue, "initial MAC chaining value");
    check(sEnc, "S-ENC");
    check(sMac, "S-MAC");
    return new SessionKeys(initialMacChainingValue, sEnc, sMac);
  }

  private static void check(SecretBytes s, String what) {
    Objects.requireNonNull(s, what);
    if (s.size() != 16) {
      throw new IllegalArgumentException(what + " must be 16 bytes");
    }
  }

  public SecretBytes initialMacChainingValue() {
    return initialMacChainingValue;
  }

  public SecretBytes sEnc() {
    return sEnc;
  }

  public SecretBytes sMac() {
    return sMac;
  }

  /** True once all three secrets are wiped. */
  public boolean isWiped() {
    return initialMacChainingValue.isWiped() && sEnc.isWiped() && sMac.isWiped();
  }

  /** Wipes the three secrets. Idempotent. */
  @Override
  public void close() {
    initialMacChainingValue.close();
    sEnc.close();
    sMac.close();
  }

  @Override
  public String toString() {
    return "SessionKeys[REDACTED]";
  }
}
