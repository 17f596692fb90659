package org.ifpp.keymaker.hsm;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;

/**
 * The token's AES-256 key-encryption key (label {@link HsmProperties#kekLabel()}), which wraps
 * every profile's PPKs (IFPP.md section 4 step 2). Wrapping is AES-GCM computed inside the token
 * (the AESWrap mechanism is not offered through SunPKCS11); the additional authenticated data binds
 * a wrapped secret to its owner (the profile's ICCID), so a wrapped PPK set cannot be moved to
 * another profile row. Unwrapped PPKs exist in the JVM only as {@link SecretBytes} for the duration
 * of one binding; the caller closes (wipes) them.
 *
 * <p>Thread-safe: one {@link Cipher} per thread; a PKCS#11 failure re-opens the token and retries
 * once. A wrong tag, a wrong AAD or a corrupted row give the same {@link HsmException}.
 */
public final class KeyEncryptionKey {

  private static final int TAG_BITS = 128;

  private final Pkcs11Token token;
  private final String label;
  private final SecureRandom random = new SecureRandom();
  private volatile Bound bound;
  private final ThreadLocal<Cipher> ciphers = new ThreadLocal<>();
  private final ThreadLocal<Long> cipherGeneration = new ThreadLocal<>();

  private record Bound(long generation, SecretKey key) {}

  public KeyEncryptionKey(Pkcs11Token token) {
    this.token = token;
    this.label = token.properties().kekLabel();
  }

  /** The label of the KEK on the token (stored with every wrapped secret). */
  public String label() {
    return label;
  }

  /** Encrypts {@code secret} under the KEK, authenticating {@code aad}. */
  public WrappedSecret wrap(SecretBytes secret, byte[] aad) {
    byte[] nonce = new byte[12];
    random.nextBytes(nonce);
    byte[] out =
        run(
            Cipher.ENCRYPT_MODE,
            nonce,
            aad,
            secret.unsafeView(SecretAccess.GRANTED),
            "cannot wrap with the KEK");
    return new WrappedSecret(nonce, out);
  }

  /**
   * Decrypts a wrapped secret; the caller must close the result.
   *
   * @throws HsmException if the tag does not verify (wrong AAD, tampered row) or the HSM fails
   */
  public SecretBytes unwrap(WrappedSecret wrapped, byte[] aad) {
    return SecretBytes.adopt(
        run(
            Cipher.DECRYPT_MODE,
            wrapped.nonce(),
            aad,
            wrapped.ciphertext(),
            "cannot unwrap with the KEK"));
  }

  private byte[] run(int mode, byte[] nonce, byte[] aad, byte[] input, String failure) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= 2; attempt++) {
      long generation = token.generation();
      try {
        Bound b = bound(attempt > 1);
        Cipher c = cipher(b.generation());
        c.init(mode, b.key(), new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(aad);
        return c.doFinal(input);
      } catch (AEADBadTagException e) {
        throw new HsmException(failure);
      } catch (GeneralSecurityException e) {
        if (mode == Cipher.DECRYPT_MODE && isTagFailure(e)) {
          throw new HsmException(failure);
        }
        last = new HsmException(failure, e);
      } catch (RuntimeException e) {
        last = e;
      }
      // A PKCS#11 failure: stale handle, lost login, token restart. Re-open and retry once.
      ciphers.remove();
      token.reload(generation);
    }
    throw last instanceof HsmException h ? h : new HsmException(failure, last);
  }

  private static boolean isTagFailure(GeneralSecurityException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("CKR_ENCRYPTED_DATA_INVALID") || m.contains("CKR_ENCRYPTED_DATA_LEN_RANGE");
  }

  private Bound bound(boolean refresh) {
    Bound b = bound;
    long generation = token.generation();
    if (refresh || b == null || b.generation() != generation) {
      b = new Bound(generation, token.secretKey(label));
      bound = b;
    }
    return b;
  }

  private Cipher cipher(long generation) throws GeneralSecurityException {
    Cipher c = ciphers.get();
    Long g = cipherGeneration.get();
    if (c == null || g == null || g != generation) {
      c = Cipher.getInstance("AES/GCM/NoPadding", token.provider());
      ciphers.set(c);
      cipherGeneration.set(generation);
    }
    return c;
  }
}
