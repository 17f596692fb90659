package org.ifpp.crypto.pki;

import javax.security.auth.x500.X500Principal;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.Eid;

/** The outcome of {@link EuiccChainValidator#validate}: valid with the eUICC's key, or why not. */
public sealed interface EuiccChainValidation {

  /** Which certificate of the chain a failure concerns. */
  enum Element {
    EUM,
    EUICC
  }

  /**
   * @param eid the EID of the eUICC certificate (equal to the expected one)
   * @param euiccKey the eUICC's public key (PK.EUICC.ECDSA), which verifies its signatures
   * @param euiccSubject the eUICC certificate's subject
   * @param eumSubject the EUM certificate's subject
   */
  record Valid(Eid eid, EcPublicKey euiccKey, X500Principal euiccSubject, X500Principal eumSubject)
      implements EuiccChainValidation {}

  /**
   * @param reason the stable reason
   * @param element the certificate the failure concerns
   * @param detail a human-readable explanation (names, dates and EIDs only)
   */
  record Invalid(ValidationFailure reason, Element element, String detail)
      implements EuiccChainValidation, EumValidation {}

  default boolean isValid() {
    return this instanceof Valid;
  }
}
