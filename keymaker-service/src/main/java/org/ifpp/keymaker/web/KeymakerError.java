package org.ifpp.keymaker.web;

import org.ifpp.web.ErrorCode;
import org.springframework.http.HttpStatus;

/**
 * The Key Maker's error catalogue: every code a Key Maker refusal carries (the {@code code} of its
 * problem+json) and the status it is answered with. Codes are the constants in kebab-case ({@code
 * UNKNOWN_EID -> unknown-eid}); the codes of HTTP itself (malformed JSON, limits, a database
 * outage, Idempotency-Key) are the shared {@link org.ifpp.web.WebError}. Services throw {@link
 * org.ifpp.web.DomainException} with one of these and never pick a status.
 */
public enum KeymakerError implements ErrorCode {
  // forbidden
  FORBIDDEN(HttpStatus.FORBIDDEN),
  // bad request
  BATCH_TOO_LARGE(HttpStatus.BAD_REQUEST),
  DUPLICATE_IN_BATCH(HttpStatus.BAD_REQUEST),
  EMPTY_IMPORT(HttpStatus.BAD_REQUEST),
  EMPTY_RESULTS(HttpStatus.BAD_REQUEST),
  EMPTY_RECEIPTS(HttpStatus.BAD_REQUEST),
  TOO_MANY_RECEIPTS(HttpStatus.BAD_REQUEST),
  IMPORT_TOO_LARGE(HttpStatus.BAD_REQUEST),
  INVALID_BASE64(HttpStatus.BAD_REQUEST),
  INVALID_BATCH_ID(HttpStatus.BAD_REQUEST),
  INVALID_BINDING_REQUEST(HttpStatus.BAD_REQUEST),
  INVALID_EID(HttpStatus.BAD_REQUEST),
  INVALID_ELIGIBILITY_RULES(HttpStatus.BAD_REQUEST),
  INVALID_LOADING_REPORT(HttpStatus.BAD_REQUEST),
  INVALID_ORDER(HttpStatus.BAD_REQUEST),
  INVALID_ORDER_ID(HttpStatus.BAD_REQUEST),
  /** A package request pulled from the broker without a request id (a UUID) or chips. */
  INVALID_PACKAGE_REQUEST(HttpStatus.BAD_REQUEST),
  INVALID_ICCID(HttpStatus.BAD_REQUEST),
  INVALID_PAGE(HttpStatus.BAD_REQUEST),
  INVALID_POOL(HttpStatus.BAD_REQUEST),
  INVALID_RESULT(HttpStatus.BAD_REQUEST),
  INVALID_TRANSACTION_ID(HttpStatus.BAD_REQUEST),
  MALFORMED(HttpStatus.BAD_REQUEST),
  MALFORMED_PROFILE(HttpStatus.BAD_REQUEST),
  INVALID_PROFILE_STRUCTURE(HttpStatus.BAD_REQUEST),
  INVALID_PROFILE_VALUE(HttpStatus.BAD_REQUEST),
  TOO_MANY_RESULTS(HttpStatus.BAD_REQUEST),
  UNSUPPORTED_FORMAT(HttpStatus.BAD_REQUEST),
  // not found
  /** GET of a profile by ICCID: none. (Named in a binding request: 422 unknown-profile.) */
  PROFILE_NOT_FOUND(HttpStatus.NOT_FOUND),
  /** GET of an eUICC by EID: none. (Named in a binding request: 422 unknown-eid.) */
  EUICC_NOT_FOUND(HttpStatus.NOT_FOUND),
  UNKNOWN_BATCH(HttpStatus.NOT_FOUND),
  UNKNOWN_ORDER(HttpStatus.NOT_FOUND),
  // conflict
  BINDING_NOT_ABANDONABLE(HttpStatus.CONFLICT),
  /** The EID is bound under the order already (a failed attempt is re-bound by the Key Maker). */
  DEVICE_ALREADY_IN_ORDER(HttpStatus.CONFLICT),
  /** The order was reported: it admits no more devices. */
  ORDER_CLOSED(HttpStatus.CONFLICT),
  /** A device-count order has admitted as many devices as it is for. */
  ORDER_FULL(HttpStatus.CONFLICT),
  DUPLICATE_ICCID(HttpStatus.CONFLICT),
  NOT_ENOUGH_PROFILES(HttpStatus.CONFLICT),
  NO_ONE_TIME_KEY(HttpStatus.CONFLICT),
  PACKAGE_NOT_DELIVERED(HttpStatus.CONFLICT),
  PROFILE_NOT_AVAILABLE(HttpStatus.CONFLICT),
  // unprocessable content
  CURVE_MISMATCH(HttpStatus.UNPROCESSABLE_CONTENT),
  /** An order listing its EIDs was asked to bind another chip. */
  EID_NOT_IN_ORDER(HttpStatus.UNPROCESSABLE_CONTENT),
  /** DPFF09: the chip's EUM is not one the pool's rules allow. */
  INELIGIBLE_EUM(HttpStatus.UNPROCESSABLE_CONTENT),
  /** A chip of a package request whose eUICC data failed a DPFF10 check (the reason follows). */
  INVALID_EUICC_DATA(HttpStatus.UNPROCESSABLE_CONTENT),
  /** A package request from a line of another factory than the order's. */
  REQUEST_FROM_OTHER_FACTORY(HttpStatus.UNPROCESSABLE_CONTENT),
  /** DPFF09: the chip's EID is outside the pool's allowed ranges. */
  INELIGIBLE_EID(HttpStatus.UNPROCESSABLE_CONTENT),
  /** DPFF09: the chip's EUICCInfo2 lacks what the pool's rules require (or is not carried). */
  INELIGIBLE_CAPABILITIES(HttpStatus.UNPROCESSABLE_CONTENT),
  /** A loading report that does not account for every device of its order. */
  LOADING_REPORT_INCOMPLETE(HttpStatus.UNPROCESSABLE_CONTENT),
  /** A loading report submitted by a line of another factory than the order's. */
  REPORT_FROM_OTHER_FACTORY(HttpStatus.UNPROCESSABLE_CONTENT),
  /** An order for a factory this Key Maker does not deliver to. */
  UNKNOWN_FACTORY(HttpStatus.UNPROCESSABLE_CONTENT),
  UNKNOWN_EID(HttpStatus.UNPROCESSABLE_CONTENT),
  UNKNOWN_PROFILE(HttpStatus.UNPROCESSABLE_CONTENT);

  private final String code;
  private final HttpStatus status;

  KeymakerError(HttpStatus status) {
    this.code = ErrorCode.kebab(this);
    this.status = status;
  }

  @Override
  public String code() {
    return code;
  }

  @Override
  public HttpStatus status() {
    return status;
  }
}
