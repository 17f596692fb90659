package org.ifpp.crypto.provider;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.Optional;

/**
 * Detects the Amazon Corretto Crypto Provider (AWS-LC, native) on the classpath, by reflection so
 * that it stays an optional dependency. When present and healthy it is used for P-256 key
 * generation and ECDH (about 9x BouncyCastle's key generation and 4.5x its ECDH) and for BSP's
 * AES-CBC ({@link CryptoProviders#aesCbc()}); it offers no brainpool curves and no AES-CMAC (the
 * engine's CMAC is a CBC pass on its AES-CBC). The engine never registers it as a global provider;
 * a process whose bulk crypto is TLS (the broker, the line driver) may, with {@link
 * #preferForTls()}.
 *
 * <p>Set the system property {@code ifpp.crypto.accp=false} to ignore it.
 */
public final class AccpSupport {

  /**
   * The provider when it serves this JVM (else null), what {@link #status()} says, and whether it
   * was there and would not load.
   */
  private record Loaded(Provider provider, String status, boolean failed) {}

  private static final Loaded LOADED = load();
  private static final Provider ACCP = LOADED.provider();

  private AccpSupport() {}

  private static Loaded load() {
    if ("false".equalsIgnoreCase(System.getProperty("ifpp.crypto.accp"))) {
      return new Loaded(null, "off (ifpp.crypto.accp=false)", false);
    }
    try {
      Class<?> c =
          Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider");
      Provider p = (Provider) c.getField("INSTANCE").get(null);
      Object loadingError = c.getMethod("getLoadingError").invoke(p);
      return loadingError == null
          ? new Loaded(p, "loaded, " + p.getName() + " " + p.getVersionStr(), false)
          : new Loaded(null, "not loaded: " + loadingError, true);
    } catch (ClassNotFoundException e) {
      return new Loaded(null, "not on the classpath", false);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return new Loaded(null, "not loaded: " + e, true);
    }
  }

  /**
   * Whether ACCP serves this JVM, for the services' start-up log: "loaded, " with its version, "not
   * loaded: " with the reason (a native library that cannot be mapped: a {@code noexec} temporary
   * directory, see {@code com.amazon.corretto.crypto.provider.tmpdir}), "off" or "not on the
   * classpath".
   */
  public static String status() {
    return LOADED.status();
  }

  /** Whether ACCP was found and would not load: worth a warning, the rest is a choice. */
  public static boolean failedToLoad() {
    return LOADED.failed();
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
   * the JDK's AES-GCM is plain Java, about 7x the CPU per byte; docs/demo.md). Only for processes
   * whose own crypto names its providers or is TLS; call it before the first TLS context is made.
   * Idempotent.
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
