package org.ifpp.crypto.provider;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.Optional;

/**
 * Detects the Amazon Corretto Crypto Provider (AWS-LC, native) on the classpath, by reflection so
 * that it stays an optional dependency. When present and healthy it is used for P-256 key
 * generation and ECDH only (SOFTHSM.md: about 9x BouncyCastle's key generation and 4.5x its ECDH);
 * it offers no brainpool curves and no AES-CMAC. It is never registered as a global provider.
 *
 * <p>Set the system property {@code ifpp.crypto.accp=false} to ignore it.
 */
public final class AccpSupport {

  private static final Provider ACCP = load();

  private AccpSupport() {}

  private static Provider load() {
    if ("false".equalsIgnoreCase(System.getProperty("ifpp.crypto.accp"))) {
      return null;
    }
    try {
      Class<?> c =
          Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider");
      Provider p = (Provider) c.getField("INSTANCE").get(null);
      Object loadingError = c.getMethod("getLoadingError").invoke(p);
      return loadingError == null ? p : null;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return null;
    }
  }

  /**
   * A new SHA-256: ACCP's native one when present (the JDK's needs C2 for its SHA intrinsic, which
   * the demo's services mostly run without), else the JDK's.
   */
  public static MessageDigest sha256() {
    try {
      return ACCP != null
          ? MessageDigest.getInstance("SHA-256", ACCP)
          : MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** The healthy ACCP instance, if on the classpath and not disabled. */
  public static Optional<Provider> provider() {
    return Optional.ofNullable(ACCP);
  }
}
