package org.ifpp.keymaker.hsm;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.ifpp.crypto.provider.CryptoProviders;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;

/**
 * A data key of envelope encryption (docs/key-hierarchy.md): a random AES-256 key that encrypts the
 * PPKs of a bounded group of profiles (one import batch, at most {@code
 * ProfileImportService.PROFILES_PER_DATA_KEY} profiles) in software with AES-GCM, and is itself
 * stored only wrapped by the token's {@link KeyEncryptionKey} (AES-GCM in the HSM, AAD = {@code
 * "ifpp-ppk-data-key:" + id}, so a wrapped data key cannot be moved to another id). The binder
 * unwraps each data key a chunk needs once through the HSM instead of making one HSM call per
 * binding, and closes it at the end of the chunk.
 *
 * <p>Not thread-safe (one {@link Cipher}). {@link #close()} wipes the key bytes; the JDK's key spec
 * and AES key schedule cannot be wiped (they become garbage), as for the BSP session keys. A wrong
 * tag, a wrong AAD or a tampered blob give the same {@link HsmException}.
 */
public final class DataKey implements AutoCloseable {

  private static final int TAG_BITS = 128;

  private final UUID id;
  private final SecretBytes key;
  private SecretKeySpec spec;
  private Cipher cipher;

  private DataKey(UUID id, SecretBytes key) {
    this.id = Objects.requireNonNull(id, "id");
    if (key.size() != 32) {
      throw new IllegalArgumentException("a data key is 32 bytes");
    }
    this.key = key;
  }

  /** A fresh random data key with a fresh random id. */
  public static DataKey generate(SecureRandom random) {
    byte[] k = new byte[32];
    random.nextBytes(k);
    return new DataKey(UUID.randomUUID(), SecretBytes.adopt(k));
  }

  /**
   * Unwraps a stored data key through the HSM (one KEK operation).
   *
   * @throws HsmException if the tag does not verify (wrong id, tampered row) or the HSM fails
   */
  public static DataKey unwrap(KeyEncryptionKey kek, UUID id, WrappedSecret wrapped) {
    SecretBytes k = kek.unwrap(wrapped, aad(id));
    try {
      return new DataKey(id, k);
    } catch (RuntimeException e) {
      k.close();
      throw new HsmException("cannot unwrap with the KEK");
    }
  }

  /** The id (stored with the wrapped key and named in the AAD of every blob under it). */
  public UUID id() {
    return id;
  }

  /** This key wrapped by the KEK (in the HSM), to be stored. */
  public WrappedSecret wrapWith(KeyEncryptionKey kek) {
    return kek.wrap(key, aad(id));
  }

  /** Encrypts {@code secret} under this key in software, authenticating {@code aad}. */
  public WrappedSecret seal(SecretBytes secret, byte[] aad, SecureRandom random) {
    byte[] nonce = new byte[12];
    random.nextBytes(nonce);
    return new WrappedSecret(
        nonce, run(Cipher.ENCRYPT_MODE, nonce, aad, secret.unsafeView(SecretAccess.GRANTED)));
  }

  /**
   * Decrypts a blob sealed under this key; the caller must close the result.
   *
   * @throws HsmException if the tag does not verify (wrong AAD, other key, tampered blob)
   */
  public SecretBytes open(WrappedSecret sealed, byte[] aad) {
    return SecretBytes.adopt(run(Cipher.DECRYPT_MODE, sealed.nonce(), aad, sealed.ciphertext()));
  }

  private byte[] run(int mode, byte[] nonce, byte[] aad, byte[] input) {
    if (key.isWiped()) {
      throw new IllegalStateException("data key closed");
    }
    try {
      if (cipher == null) {
        spec = new SecretKeySpec(key.unsafeView(SecretAccess.GRANTED), "AES");
        cipher = CryptoProviders.newCipher("AES/GCM/NoPadding");
      }
      cipher.init(mode, spec, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad);
      return cipher.doFinal(input);
    } catch (AEADBadTagException e) {
      throw new HsmException("cannot open the sealed secret");
    } catch (GeneralSecurityException e) {
      throw new HsmException("cannot use the data key", e);
    }
  }

  /** The AAD of a data key wrapped by the KEK. */
  static byte[] aad(UUID id) {
    return ("ifpp-ppk-data-key:" + id).getBytes(StandardCharsets.US_ASCII);
  }

  /** Wipes the key bytes and drops the cipher and key spec. */
  @Override
  public void close() {
    key.close();
    spec = null;
    cipher = null;
  }

  @Override
  public String toString() {
    return "DataKey[" + id + ", REDACTED]";
  }
}
