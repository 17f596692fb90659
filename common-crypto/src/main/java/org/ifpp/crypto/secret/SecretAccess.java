package org.ifpp.crypto.secret;

/**
 * A token that must be passed to read secret bytes, so that every place that handles a raw secret
 * is explicit and greppable ({@code SecretAccess.GRANTED}). Modelled on Tink's {@code
 * InsecureSecretKeyAccess}.
 */
public final class SecretAccess {

  /** The only instance. Use it only where raw secret bytes must enter a cipher or a KDF. */
  public static final SecretAccess GRANTED = new SecretAccess();

  private SecretAccess() {}
}
