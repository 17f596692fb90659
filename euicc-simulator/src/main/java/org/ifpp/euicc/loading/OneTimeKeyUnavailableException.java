package org.ifpp.euicc.loading;

import org.ifpp.euicc.SimulatorError;
import org.ifpp.web.DomainException;

/**
 * A package's {@code bppEuiccOtpk} names a one-time key the chip does not hold unused: {@code
 * one-time-key-spent} (the chip had it; a load consumed it or finalisation wiped it) or {@code
 * one-time-key-unknown} (never this chip's). Raised before any check of the package: nothing
 * consumed, no result signed or kept.
 */
public class OneTimeKeyUnavailableException extends DomainException {

  public OneTimeKeyUnavailableException(SimulatorError code, String message) {
    super(code, message);
  }

  /** True for a key the chip had. */
  public boolean spent() {
    return error() == SimulatorError.ONE_TIME_KEY_SPENT;
  }
}
