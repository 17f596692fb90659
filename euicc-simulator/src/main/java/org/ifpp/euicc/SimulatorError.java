package org.ifpp.euicc;

import org.ifpp.web.ErrorCode;
import org.springframework.http.HttpStatus;

/**
 * The simulator's error catalogue: every code a refusal of the simulator carries (the {@code code}
 * of its problem+json) and the status it is answered with. Codes are the constants in kebab-case
 * ({@code CHIP_NOT_FOUND -> chip-not-found}); the codes of HTTP itself (malformed JSON, limits) are
 * the shared {@link org.ifpp.web.WebError}.
 */
public enum SimulatorError implements ErrorCode {
  // bad request: the request itself
  MISSING_FIELD(HttpStatus.BAD_REQUEST),
  INVALID_BASE64(HttpStatus.BAD_REQUEST),
  INVALID_EID(HttpStatus.BAD_REQUEST),
  INVALID_PAGE(HttpStatus.BAD_REQUEST),
  INVALID_PRIVATE_KEY(HttpStatus.BAD_REQUEST),
  INVALID_CHIP_IDENTITY(HttpStatus.BAD_REQUEST),
  INVALID_CERTIFICATE(HttpStatus.BAD_REQUEST),
  TOO_MANY_CHIPS(HttpStatus.BAD_REQUEST),
  INVALID_READER(HttpStatus.BAD_REQUEST),
  INVALID_DEVICE_MAKER_CERTIFICATE(HttpStatus.BAD_REQUEST),
  // finalisation (docs/finalisation.md): refused, nothing changed
  FINALISATION_MALFORMED(HttpStatus.BAD_REQUEST),
  FINALISATION_UNSIGNED(HttpStatus.FORBIDDEN),
  FINALISATION_SIGNATURE_INVALID(HttpStatus.FORBIDDEN),
  FINALISATION_WRONG_CHIP(HttpStatus.FORBIDDEN),
  FINALISATION_REPLAYED(HttpStatus.CONFLICT),
  NO_DEVICE_MAKER_KEY(HttpStatus.CONFLICT),
  // bad request: the package or its ES10b segments (SGP.22 section 2.5.5), nothing consumed
  MALFORMED_PACKAGE(HttpStatus.BAD_REQUEST),
  MALFORMED_SEGMENT(HttpStatus.BAD_REQUEST),
  EMPTY_SEGMENT(HttpStatus.BAD_REQUEST),
  UNEXPECTED_SEGMENT(HttpStatus.BAD_REQUEST),
  LENGTH_MISMATCH(HttpStatus.BAD_REQUEST),
  INCOMPLETE_PACKAGE(HttpStatus.BAD_REQUEST),
  SESSION_CLOSED(HttpStatus.BAD_REQUEST),
  // not found
  CHIP_NOT_FOUND(HttpStatus.NOT_FOUND),
  SESSION_NOT_FOUND(HttpStatus.NOT_FOUND),
  NOTIFICATION_NOT_FOUND(HttpStatus.NOT_FOUND),
  READER_NOT_FOUND(HttpStatus.NOT_FOUND),
  // conflict: not allowed in the chip's state
  ONE_TIME_KEYS_REMAIN(HttpStatus.CONFLICT),
  NO_ONE_TIME_KEYS(HttpStatus.CONFLICT),
  // a package's bppEuiccOtpk names a key the chip does not hold unused (nothing consumed)
  ONE_TIME_KEY_SPENT(HttpStatus.CONFLICT),
  ONE_TIME_KEY_UNKNOWN(HttpStatus.CONFLICT),
  INVALID_BPP_EUICC_OTPK(HttpStatus.BAD_REQUEST),
  NO_EUM_CERTIFICATE(HttpStatus.CONFLICT),
  EID_EXISTS(HttpStatus.CONFLICT),
  EID_RANGE_EXHAUSTED(HttpStatus.CONFLICT),
  CHIP_IN_ANOTHER_READER(HttpStatus.CONFLICT),
  // limits
  PACKAGE_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE),
  TOO_MANY_SESSIONS(HttpStatus.TOO_MANY_REQUESTS);

  private final String code;
  private final HttpStatus status;

  SimulatorError(HttpStatus status) {
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
