package org.ifpp.crypto.provider;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Security;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one place where JCA engines are looked up, each from a pinned provider (Tink's {@code
 * EngineFactory} habit), so that no code silently depends on provider order.
 *
 * <ul>
 *   <li>AES-CBC ({@code AES/CBC/NoPadding}, BSP's encryption and CMAC): ACCP's native one when it
 *       serves this JVM ({@link AccpSupport}), else SunJCE's. Both use AES-NI, SunJCE's only in
 *       C2-compiled code; SunJCE also expands every new key in Java (about 0.85 us, four times per
 *       binding: S-ENC, S-MAC and the two re-keys of {@link #forgetAesKeys()}), ACCP in native code
 *       at no measurable cost.
 *   <li>AES-GCM ({@link #newCipher}): SunJCE.
 *   <li>SHA-256: the JDK's SUN provider (intrinsified too).
 *   <li>Elliptic curves (P-256 and brainpoolP256r1): BouncyCastle; the EC code in {@code
 *       org.ifpp.crypto.ec} uses BouncyCastle's lightweight API directly, which avoids JCA key
 *       conversions on the per-binding hot path (measured when it was chosen: BC 5-6x faster than
 *       SunEC on Java 17).
 * </ul>
 *
 * <p>Cipher objects are not thread-safe; {@link #aesCbc()} and {@link #aesCbcForMac()} return
 * per-thread instances that the caller must re-initialise before each use and must not share.
 */
public final class CryptoProviders {

  private static final Provider BC = new BouncyCastleProvider();
  private static final Provider SUN_JCE = pick("SunJCE");
  private static final Provider SUN = pick("SUN");

  private static final Provider AES_CBC_PROVIDER = AccpSupport.provider().orElse(SUN_JCE);

  private static final ThreadLocal<Cipher> AES_CBC =
      ThreadLocal.withInitial(CryptoProviders::newAesCbc);
  // CMAC's own CBC engine: sharing one with the data cipher alternated the S-MAC and S-ENC keys on
  // it, and SunJCE re-expands the AES key schedule whenever the key changes (every segment).
  private static final ThreadLocal<Cipher> AES_CBC_MAC =
      ThreadLocal.withInitial(CryptoProviders::newAesCbc);
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(CryptoProviders::newSha256);

  // Not a secret: the key the per-thread ciphers are left with after a channel (forgetAesKeys).
  private static final SecretKeySpec PUBLIC_ZERO_KEY = new SecretKeySpec(new byte[16], "AES");
  private static final IvParameterSpec ZERO_IV = new IvParameterSpec(new byte[16]);

  private CryptoProviders() {}

  private static Provider pick(String name) {
    Provider p = Security.getProvider(name);
    if (p == null) {
      throw new IllegalStateException("JCA provider " + name + " is not installed");
    }
    return p;
  }

  /** The shared BouncyCastle provider instance (not registered globally). */
  public static Provider bouncyCastle() {
    return BC;
  }

  /** The provider of AES-CBC: ACCP when it serves this JVM, else SunJCE. */
  public static Provider aesCbcProvider() {
    return AES_CBC_PROVIDER;
  }

  /** This thread's {@code AES/CBC/NoPadding} cipher. Re-init before each use. */
  public static Cipher aesCbc() {
    return AES_CBC.get();
  }

  /**
   * This thread's {@code AES/CBC/NoPadding} cipher reserved for CBC-MACs (AES-CMAC), so that it
   * keeps one key across calls. Re-init before each use.
   */
  public static Cipher aesCbcForMac() {
    return AES_CBC_MAC.get();
  }

  /**
   * Re-keys this thread's AES ciphers with a public all-zero key, so that they no longer reference
   * the last session key they were initialised with (SunJCE keeps a copy of the key bytes and its
   * schedule until the next key arrives). Called when a BSP channel closes; cheap (two key
   * expansions). The ciphers stay usable: callers re-initialise them before each use anyway.
   */
  public static void forgetAesKeys() {
    try {
      AES_CBC.get().init(Cipher.ENCRYPT_MODE, PUBLIC_ZERO_KEY, ZERO_IV);
      AES_CBC_MAC.get().init(Cipher.ENCRYPT_MODE, PUBLIC_ZERO_KEY, ZERO_IV);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES failed", e);
    }
  }

  /** This thread's SHA-256 digest (SUN), reset before it is returned. */
  public static MessageDigest sha256() {
    MessageDigest md = SHA256.get();
    md.reset();
    return md;
  }

  /** A new {@code AES/CBC/NoPadding} cipher from {@link #aesCbcProvider()}. */
  public static Cipher newAesCbc() {
    try {
      return Cipher.getInstance("AES/CBC/NoPadding", AES_CBC_PROVIDER);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(AES_CBC_PROVIDER.getName() + " lacks AES/CBC/NoPadding", e);
    }
  }

  /** A new cipher from SunJCE (AES-GCM: the data keys under the key-encryption key). */
  public static Cipher newCipher(String transformation) {
    try {
      return Cipher.getInstance(transformation, SUN_JCE);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SunJCE lacks " + transformation, e);
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256", SUN);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SUN lacks SHA-256", e);
    }
  }
}
