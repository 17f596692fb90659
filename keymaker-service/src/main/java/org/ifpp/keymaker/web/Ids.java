package org.ifpp.keymaker.web;

import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.web.DomainException;

/**
 * The ids a caller names, parsed where they enter: a bad one is a {@link DomainException} with its
 * own code ({@code invalid-eid}, {@code invalid-iccid}, {@code invalid-transaction-id}), so what
 * lies behind the edge handles only valid, typed ids. Path variables of these types are parsed by
 * {@link IdConverters}.
 */
public final class Ids {

  private Ids() {}

  /** An EID: 32 digits with valid check digits (400 {@code invalid-eid}). */
  public static Eid eid(String text) {
    try {
      return Eid.of(text);
    } catch (IllegalArgumentException e) {
      throw new DomainException(KeymakerError.INVALID_EID, e.getMessage());
    }
  }

  /** An ICCID: 18 to 20 digits (400 {@code invalid-iccid}). */
  public static Iccid iccid(String text) {
    try {
      return Iccid.of(text);
    } catch (IllegalArgumentException e) {
      throw new DomainException(KeymakerError.INVALID_ICCID, e.getMessage());
    }
  }

  /** A transactionId: 1 to 16 bytes in hex (400 {@code invalid-transaction-id}). */
  public static TransactionId transactionId(String text) {
    try {
      return TransactionId.fromHex(text);
    } catch (IllegalArgumentException e) {
      throw new DomainException(KeymakerError.INVALID_TRANSACTION_ID, "1 to 16 bytes in hex");
    }
  }
}
