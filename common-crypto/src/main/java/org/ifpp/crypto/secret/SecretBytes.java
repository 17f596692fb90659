package org.ifpp.crypto.secret;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * Secret key material (session keys, PPKs, KDF output, ECDH shared secrets). Immutable from the
 * outside except for {@link #close()}, which wipes the bytes; its {@link #toString()} is redacted;
 * {@link #equals(Object)} is constant time. Reading the bytes requires a {@link SecretAccess}
 * token.
 */
public final class SecretBytes implements AutoCloseable {

  private final byte[] bytes;
  private volatile boolean wiped;

  private SecretBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Copies {@code bytes}; the caller remains responsible for wiping its own array. */
  public static SecretBytes copyOf(byte[] bytes) {
    return new SecretBytes(Objects.requireNonNull(bytes, "bytes").clone());
  }

  /** Copies a range of {@code bytes}. */
  public static SecretBytes copyOf(byte[] bytes, int offset, int length) {
    return new SecretBytes(Arrays.copyOfRange(bytes, offset, offset + length));
  }

  /** Takes ownership of {@code bytes} without copying; the caller must not use the array again. */
  public static SecretBytes adopt(byte[] bytes) {
    return new SecretBytes(Objects.requireNonNull(bytes, "bytes"));
  }

  public int size() {
    return bytes.length;
  }

  /** A copy of the secret bytes; wipe it after use. */
  public byte[] toByteArray(SecretAccess access) {
    Objects.requireNonNull(access, "access");
    checkNotWiped();
    return bytes.clone();
  }

  /**
   * The internal array, without copying, for hot paths that feed it straight into a cipher. The
   * caller must neither keep nor modify it.
   */
  public byte[] unsafeView(SecretAccess access) {
    Objects.requireNonNull(access, "access");
    checkNotWiped();
    return bytes;
  }

  private void checkNotWiped() {
    if (wiped) {
      throw new IllegalStateException("secret has been wiped");
    }
  }

  /** Overwrites the bytes with zeros. Idempotent. */
  @Override
  public void close() {
    Arrays.fill(bytes, (byte) 0);
    wiped = true;
  }

  public boolean isWiped() {
    return wiped;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretBytes other && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return bytes.length;
  }

  @Override
  public String toString() {
    return "SecretBytes[" + bytes.length + " bytes, REDACTED]";
  }
}
