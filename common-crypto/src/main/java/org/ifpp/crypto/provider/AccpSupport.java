package org.ifpp.crypto.provider;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.Optional;

/**
 * Detects the Amazon Corretto Crypto Provider (AWS-LC, native) on the classpath, by reflection so
 * that it stays an optional dependency. When present and healthy it is used for P-256 key
 * generation and ECDH only (SOFTHSM.md: about 9x BouncyCastle's key generation and 4.5x its ECDH);
 * it offers no brainpool curves and no AES-CMAC. The engine never registers it as a global
 * provider; a process whose bulk crypto is TLS (the broker, the line driver) may, with {@link
 * #preferForTls()}.
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

  /**
   * Registers ACCP as this JVM's most preferred JCA provider, so that JSSE runs TLS's AES-GCM,
   * SHA-2, ECDHE and ECDSA in native code: with it a JVM needs no C2 compiler for TLS (on C1 alone
   * the JDK's AES-GCM is plain Java, about 7x the CPU per byte; docs/benchmarks.md, section 5).
   * Only for processes whose own crypto names its providers or is TLS; call it before the first TLS
   * context is made. Idempotent.
   *
   * @return whether ACCP is now the first provider (false when absent, unhealthy or disabled)
   */
  public static synchronized boolean preferForTls() {
    if (ACCP == null) {
      return false;
    }
    Provider[] providers = Security.getProviders();
    if (providers.length > 0 && providers[0] == ACCP) {
      return true;
    }
    Security.removeProvider(ACCP.getName());
    return Security.insertProviderAt(ACCP, 1) == 1;
  }

  /** The healthy ACCP instance, if on the classpath and not disabled. */
  public static Optional<Provider> provider() {
    return Optional.ofNullable(ACCP);
  }
}
