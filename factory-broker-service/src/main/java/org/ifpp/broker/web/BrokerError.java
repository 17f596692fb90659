package org.ifpp.broker.web;

import org.ifpp.web.ErrorCode;
import org.springframework.http.HttpStatus;

/**
 * The broker's error catalogue: every code a broker refusal carries (the {@code code} of its
 * problem+json) and the status it is answered with. Codes are the constants in kebab-case ({@code
 * PACKAGE_REPORTED -> package-reported}); the codes of HTTP itself (malformed JSON, limits, a
 * database outage) are the shared {@link org.ifpp.web.WebError}. Services throw {@link
 * org.ifpp.web.DomainException} with one of these and never pick a status.
 */
public enum BrokerError implements ErrorCode {
  // unauthorized
  CLIENT_CERTIFICATE_REQUIRED(HttpStatus.UNAUTHORIZED),
  INVALID_CREDENTIALS(HttpStatus.UNAUTHORIZED),
  MISSING_CREDENTIALS(HttpStatus.UNAUTHORIZED),
  // forbidden
  CLIENT_CERTIFICATE_MISMATCH(HttpStatus.FORBIDDEN),
  LINE_MISMATCH(HttpStatus.FORBIDDEN),
  MISSING_SCOPE(HttpStatus.FORBIDDEN),
  NOT_A_LINE(HttpStatus.FORBIDDEN),
  // bad request
  BATCH_TOO_LARGE(HttpStatus.BAD_REQUEST),
  DUPLICATE_IN_BATCH(HttpStatus.BAD_REQUEST),
  EID_MISMATCH(HttpStatus.BAD_REQUEST),
  EMPTY_BATCH(HttpStatus.BAD_REQUEST),
  INVALID_BATCH_ID(HttpStatus.BAD_REQUEST),
  INVALID_BINDING(HttpStatus.BAD_REQUEST),
  INVALID_BPP_EUICC_OTPK(HttpStatus.BAD_REQUEST),
  INVALID_CLIENT_NAME(HttpStatus.BAD_REQUEST),
  INVALID_CURSOR(HttpStatus.BAD_REQUEST),
  INVALID_EID(HttpStatus.BAD_REQUEST),
  INVALID_ITEM(HttpStatus.BAD_REQUEST),
  INVALID_LINE_ID(HttpStatus.BAD_REQUEST),
  INVALID_LOADING_REPORT(HttpStatus.BAD_REQUEST),
  INVALID_OUTCOME(HttpStatus.BAD_REQUEST),
  INVALID_PACKAGE_ANSWER(HttpStatus.BAD_REQUEST),
  INVALID_PACKAGE_REQUEST(HttpStatus.BAD_REQUEST),
  INVALID_SCOPES(HttpStatus.BAD_REQUEST),
  INVALID_TARGET(HttpStatus.BAD_REQUEST),
  INVALID_TRANSACTION_ID(HttpStatus.BAD_REQUEST),
  MALFORMED_BASE64(HttpStatus.BAD_REQUEST),
  MALFORMED_BATCH_BODY(HttpStatus.BAD_REQUEST),
  MALFORMED_CERTIFICATE(HttpStatus.BAD_REQUEST),
  MALFORMED_PACKAGE(HttpStatus.BAD_REQUEST),
  MALFORMED_PIR(HttpStatus.BAD_REQUEST),
  MALFORMED_RECEIPT(HttpStatus.BAD_REQUEST),
  MISSING_LINE_ID(HttpStatus.BAD_REQUEST),
  NO_EIDS(HttpStatus.BAD_REQUEST),
  NO_RESULTS(HttpStatus.BAD_REQUEST),
  OUTCOME_MISMATCH(HttpStatus.BAD_REQUEST),
  PACKAGE_TOO_LARGE(HttpStatus.BAD_REQUEST),
  PIR_TRANSACTION_MISMATCH(HttpStatus.BAD_REQUEST),
  TOO_MANY_EIDS(HttpStatus.BAD_REQUEST),
  TOO_MANY_RESULTS(HttpStatus.BAD_REQUEST),
  TRANSACTION_ID_MISMATCH(HttpStatus.BAD_REQUEST),
  // not found
  BATCH_NOT_FOUND(HttpStatus.NOT_FOUND),
  CLIENT_NOT_FOUND(HttpStatus.NOT_FOUND),
  PACKAGE_NOT_FOUND(HttpStatus.NOT_FOUND),
  PACKAGE_REQUEST_NOT_FOUND(HttpStatus.NOT_FOUND),
  // conflict
  DUPLICATE_BATCH(HttpStatus.CONFLICT),
  DUPLICATE_CLIENT(HttpStatus.CONFLICT),
  DUPLICATE_TRANSACTION_ID(HttpStatus.CONFLICT),
  LEASE_EXPIRED(HttpStatus.CONFLICT),
  NOT_CLAIM_HOLDER(HttpStatus.CONFLICT),
  PACKAGE_CLAIMED(HttpStatus.CONFLICT),
  PACKAGE_PURGED(HttpStatus.CONFLICT),
  PACKAGE_REPORTED(HttpStatus.CONFLICT),
  PACKAGE_REQUEST_ANSWERED(HttpStatus.CONFLICT),
  PACKAGE_REQUEST_CONFLICT(HttpStatus.CONFLICT),
  TOO_MANY_REPORTS(HttpStatus.CONFLICT);

  private final String code;
  private final HttpStatus status;

  BrokerError(HttpStatus status) {
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
