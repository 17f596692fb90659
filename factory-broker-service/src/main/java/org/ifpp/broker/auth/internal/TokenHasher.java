package org.ifpp.broker.auth.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Bearer tokens: random 256-bit strings; only their SHA-256 is ever stored. */
public final class TokenHasher {

  private static final SecureRandom RANDOM = new SecureRandom();

  // One digest per thread: every API call hashes its token, and MessageDigest.getInstance (a
  // provider lookup) cost more than the hash itself. digest() resets it after each use.
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(TokenHasher::newSha256);

  private TokenHasher() {}

  public static byte[] sha256(String token) {
    return SHA256.get().digest(token.getBytes(StandardCharsets.UTF_8));
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
    }
  }

  /** A new token: {@code ifpp_} followed by 32 random bytes in base64url. */
  public static String newToken() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return "ifpp_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
