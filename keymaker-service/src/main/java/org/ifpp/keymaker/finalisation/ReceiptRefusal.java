package org.ifpp.keymaker.finalisation;

import org.ifpp.web.ErrorCode;

/**
 * Why one finalisation receipt was refused (its per-item {@code code}; the request itself is
 * answered 200 with every item's outcome, as installation results are). A refused receipt changes
 * nothing and is audited ({@code FINALISATION_RECEIPT_REJECTED}).
 */
public enum ReceiptRefusal {
  /** Not base64, or not the BF7B structure of docs/finalisation.md. */
  RECEIPT_MALFORMED,
  /** The receipt names another EID than the one it was filed under. */
  RECEIPT_EID_MISMATCH,
  /** No eUICC data was imported for the receipt's EID: no certificate to verify with. */
  RECEIPT_UNKNOWN_EID,
  /** The signature does not verify under the chip's CERT.EUICC key. */
  RECEIPT_SIGNATURE_INVALID,
  /** A genuine receipt that does not say IFPP is locked: not a proof of finalisation. */
  RECEIPT_IFPP_NOT_LOCKED;

  public String code() {
    return ErrorCode.kebab(this);
  }
}
