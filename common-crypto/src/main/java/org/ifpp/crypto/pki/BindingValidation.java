package org.ifpp.crypto.pki;

import javax.security.auth.x500.X500Principal;
import org.ifpp.crypto.ec.EcPublicKey;

/** The outcome of {@link BindingCertificateValidator#validate}: valid with its key, or why not. */
public sealed interface BindingValidation {

  /**
   * @param signingKey the Key Maker's binding public key, which verifies smdpSign
   * @param subject the binding certificate's subject
   */
  record Valid(EcPublicKey signingKey, X500Principal subject) implements BindingValidation {}

  /**
   * @param reason the stable reason
   * @param detail a human-readable explanation (no secrets; certificate names and dates only)
   */
  record Invalid(ValidationFailure reason, String detail) implements BindingValidation {}

  default boolean isValid() {
    return this instanceof Valid;
  }
}
