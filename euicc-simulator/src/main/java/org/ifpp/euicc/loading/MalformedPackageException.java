package org.ifpp.euicc.loading;

import org.ifpp.euicc.SimulatorError;
import org.ifpp.web.DomainException;

/**
 * The input is not a Bound Profile Package at all (garbage, truncated before BF23 is complete): no
 * chip check ran, nothing was consumed, and there is no transaction to sign a result for.
 */
public class MalformedPackageException extends DomainException {

  public MalformedPackageException(SimulatorError code, String message) {
    super(code, message);
  }
}
