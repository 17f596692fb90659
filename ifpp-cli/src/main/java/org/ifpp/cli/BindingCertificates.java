package org.ifpp.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.pki.BindingCertificateValidator;
import org.ifpp.crypto.pki.BindingValidation;
import org.ifpp.crypto.pki.TrustAnchors;

/** Validates a Key Maker binding certificate given on the command line against given CIs. */
final class BindingCertificates {

  private BindingCertificates() {}

  static EcPublicKey validate(Path dpCert, List<Path> ciCerts) {
    if (ciCerts == null || ciCerts.isEmpty()) {
      throw new CliException("--dp-cert needs at least one --ci trust anchor");
    }
    List<byte[]> anchors = new ArrayList<>();
    for (Path ci : ciCerts) {
      anchors.add(Io.read(ci, "CI certificate"));
    }
    TrustAnchors trust;
    try {
      trust = TrustAnchors.fromDer(anchors);
    } catch (IllegalArgumentException e) {
      throw new CliException("invalid --ci certificate: " + e.getMessage());
    }
    BindingValidation result =
        new BindingCertificateValidator(trust, Clock.systemUTC())
            .validate(Io.read(dpCert, "binding certificate"));
    if (result instanceof BindingValidation.Valid valid) {
      return valid.signingKey();
    }
    BindingValidation.Invalid invalid = (BindingValidation.Invalid) result;
    throw new CliException(
        "rejected: binding certificate " + invalid.reason() + " (" + invalid.detail() + ")");
  }
}
