package org.ifpp.crypto.bpp;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.Iccid;

/**
 * The eUICC state the {@link BoundProfilePackageOpener} needs (IFPP.md section 6), implemented by
 * the caller (the eUICC simulator). Implementations must make {@link #consume} atomic.
 */
public interface OpeningContext {

  /** This eUICC's EID (SharedInfo of the KDF). */
  Eid eid();

  /** Step 1: false once production is finalised. */
  boolean ifppEnabled();

  /**
   * Step 2: validates the Key Maker's binding certificate (chain to a trusted CI, validity now,
   * profile-binding role).
   *
   * @return the certificate's public key if valid, empty otherwise
   */
  Optional<EcPublicKey> verifyBindingCertificate(X509Certificate bindingCertificate);

  /** Step 5: the one-time key pairs not yet used. The opener closes the one it consumes. */
  List<OneTimeKeyPair> unusedOneTimeKeys();

  /**
   * Step 5 with {@link BppEuiccOtpk}: the unused one-time key pair it names, if this eUICC has it
   * unused. The default searches {@link #unusedOneTimeKeys()}; implementations look it up directly.
   */
  default Optional<OneTimeKeyPair> unusedOneTimeKey(BppEuiccOtpk named) {
    return unusedOneTimeKeys().stream().filter(k -> named.names(k.publicKey())).findFirst();
  }

  /** Step 5: true if this eUICC has at least one unused one-time key. */
  default boolean hasUnusedOneTimeKeys() {
    return !unusedOneTimeKeys().isEmpty();
  }

  /**
   * Step 6: marks the one-time key used, atomically.
   *
   * @return false if it was already used (a concurrent replay)
   */
  boolean consume(EcPublicKey oneTimePublicKey);

  /** Step 8: true if a profile with this ICCID is already installed. */
  boolean iccidInstalled(Iccid iccid);

  /** Step 8: true if a profile of this many bytes fits. */
  default boolean hasRoomFor(int profileBytes) {
    return true;
  }
}
