package org.ifpp.crypto.signing;

import org.ifpp.crypto.ec.Curve;

/**
 * Makes the Key Maker's ECDSA-SHA256 signatures (smdpSign in BF23, IFPP.md section 5) or an eUICC's
 * signatures (Profile Installation Result, one-time key attestations). Implementations keep the
 * private key wherever it lives (software, RFC 6979 deterministic software, or an HSM handle) and
 * never expose it.
 *
 * <p>Implementations must be safe for concurrent use.
 */
public interface Signer {

  /** The curve of the signing key. */
  Curve curve();

  /**
   * Signs {@code message} with ECDSA over SHA-256.
   *
   * @return the raw {@code r || s} signature, 64 bytes (BSI TR-03111), never DER
   * @throws SigningException if the key cannot sign (HSM down, key missing)
   */
  byte[] sign(byte[] message);
}
