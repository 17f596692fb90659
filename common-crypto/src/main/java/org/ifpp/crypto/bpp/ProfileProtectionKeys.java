package org.ifpp.crypto.bpp;

import java.security.SecureRandom;
import java.util.Objects;
import org.ifpp.crypto.bsp.SessionKeys;
import org.ifpp.crypto.secret.SecretBytes;

/**
 * The Profile Protection Keys of SGP.22 section 2.5.3 (PPK-ENC, PPK-MAC, PPK initial MAC chaining
 * value): protect a profile once at import (IFPP.md section 4 step 2, PPK mode of section 5) and
 * travel to the eUICC inside ReplaceSessionKeysRequest (BF26). New keys come only from {@link
 * #generate}: never fixed PPKs. {@link #restore} rebuilds keys that were generated earlier
 * (unwrapped from storage).
 *
 * <p>Owns its secrets; {@link #close()} wipes them; {@link #toString()} is redacted.
 */
public final class ProfileProtectionKeys implements AutoCloseable {

  private final SessionKeys keys;

  private ProfileProtectionKeys(SessionKeys keys) {
    this.keys = keys;
  }

  /** Fresh random PPKs: 3 x 16 bytes from {@code random}. */
  public static ProfileProtectionKeys generate(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    return new ProfileProtectionKeys(
        SessionKeys.of(random16(random), random16(random), random16(random)));
  }

  private static SecretBytes random16(SecureRandom random) {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return SecretBytes.adopt(b);
  }

  /**
   * Rebuilds PPKs that were generated earlier by {@link #generate} (e.g. unwrapped from the HSM),
   * taking ownership of the three 16-byte secrets.
   */
  public static ProfileProtectionKeys restore(
      SecretBytes ppkEnc, SecretBytes ppkMac, SecretBytes initialMacChainingValue) {
    return new ProfileProtectionKeys(SessionKeys.of(initialMacChainingValue, ppkEnc, ppkMac));
  }

  public SecretBytes ppkEnc() {
    return keys.sEnc();
  }

  public SecretBytes ppkMac() {
    return keys.sMac();
  }

  public SecretBytes initialMacChainingValue() {
    return keys.initialMacChainingValue();
  }

  /** The PPKs as a BSP key set (a view: closing either closes both). */
  public SessionKeys asKeySet() {
    return keys;
  }

  public boolean isWiped() {
    return keys.isWiped();
  }

  @Override
  public void close() {
    keys.close();
  }

  @Override
  public String toString() {
    return "ProfileProtectionKeys[REDACTED]";
  }
}
