package org.ifpp.keymaker.hsm;

import java.util.Arrays;

/**
 * A secret (the PPKs of one profile) encrypted under the token's key-encryption key with
 * AES-256-GCM: a 12-byte random nonce and the ciphertext followed by the 16-byte tag. Not secret
 * itself; safe to store.
 *
 * @param nonce 12 bytes
 * @param ciphertext ciphertext || tag
 */
public record WrappedSecret(byte[] nonce, byte[] ciphertext) {

  public WrappedSecret {
    if (nonce == null || nonce.length != 12) {
      throw new IllegalArgumentException("GCM nonce must be 12 bytes");
    }
    if (ciphertext == null || ciphertext.length < 16) {
      throw new IllegalArgumentException("wrapped secret is too short");
    }
    nonce = nonce.clone();
    ciphertext = ciphertext.clone();
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  @Override
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WrappedSecret w
        && Arrays.equals(nonce, w.nonce)
        && Arrays.equals(ciphertext, w.ciphertext);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ciphertext);
  }

  @Override
  public String toString() {
    return "WrappedSecret[" + ciphertext.length + " bytes]";
  }
}
