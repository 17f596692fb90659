package org.ifpp.euicc.manufacturing;

import java.security.cert.X509Certificate;
import java.time.Instant;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.web.DomainException;

/**
 * The device maker's certificate the EUM writes into each chip it makes (GENS13, DMF03): the chip
 * keeps only its P-256 public key, and trusts it from then on for the finalisation command. The
 * EUM, which has a clock, refuses a certificate that is not valid at manufacturing; the chip itself
 * never looks at a date again (docs/rules.md section 8).
 */
public final class DeviceMakerTrust {

  private DeviceMakerTrust() {}

  /**
   * The key a chip made at {@code manufacturedAt} trusts.
   *
   * @throws DomainException {@code invalid-device-maker-certificate} if the key is not EC P-256 or
   *     the certificate is not valid at {@code manufacturedAt}
   */
  public static EcPublicKey keyOf(X509Certificate certificate, Instant manufacturedAt) {
    EcPublicKey key;
    try {
      key = EcPublicKey.fromJca(certificate.getPublicKey());
    } catch (IllegalArgumentException e) {
      throw invalid("the device-maker key is not an EC key on a supported curve");
    }
    if (key.curve() != Curve.P256) {
      throw invalid("the device-maker key must be on P-256");
    }
    if (manufacturedAt.isBefore(certificate.getNotBefore().toInstant())
        || manufacturedAt.isAfter(certificate.getNotAfter().toInstant())) {
      throw invalid("the device-maker certificate is not valid at manufacturing");
    }
    return key;
  }

  private static DomainException invalid(String message) {
    return new DomainException(SimulatorError.INVALID_DEVICE_MAKER_CERTIFICATE, message);
  }
}
