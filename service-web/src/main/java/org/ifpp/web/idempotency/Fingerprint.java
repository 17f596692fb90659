package org.ifpp.web.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.ifpp.crypto.provider.AccpSupport;

/**
 * SHA-256 over a sequence of fields, each framed by a marker and its length, so that no two
 * different sequences feed the same bytes ({@code ("ab", "c")} and {@code ("a", "bc")} differ, and
 * so do a null field and an empty one). Native (ACCP) when present: the broker runs on C1 in the
 * demo, which has no intrinsic for the JDK's SHA-256.
 */
public final class Fingerprint {

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(AccpSupport::sha256);

  private final MessageDigest md;

  private Fingerprint(MessageDigest md) {
    this.md = md;
  }

  /** A fingerprint of {@code operation} and then whatever {@code fields} feeds. */
  public static byte[] of(String operation, Fingerprinted fields) {
    MessageDigest md = SHA256.get();
    md.reset();
    Fingerprint f = new Fingerprint(md);
    f.field(operation);
    fields.fingerprint(f);
    return md.digest();
  }

  /** Feeds one field (null allowed). */
  public Fingerprint field(String value) {
    if (value == null) {
      md.update((byte) 0);
      return this;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    md.update((byte) 1);
    length(bytes.length);
    md.update(bytes);
    return this;
  }

  /** Feeds one field of bytes (null allowed). */
  public Fingerprint bytes(byte[] value) {
    if (value == null) {
      md.update((byte) 0);
      return this;
    }
    md.update((byte) 3);
    length(value.length);
    md.update(value);
    return this;
  }

  /** Feeds a count (of the list items that follow, for instance). */
  public Fingerprint count(int n) {
    md.update((byte) 2);
    length(n);
    return this;
  }

  private void length(int n) {
    md.update((byte) (n >>> 24));
    md.update((byte) (n >>> 16));
    md.update((byte) (n >>> 8));
    md.update((byte) n);
  }
}
