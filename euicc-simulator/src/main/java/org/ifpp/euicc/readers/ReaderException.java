package org.ifpp.euicc.readers;

import org.ifpp.euicc.SimulatorError;
import org.ifpp.web.DomainException;

/** A refused reader operation: an invalid reader, none there, or the chip in another reader. */
public class ReaderException extends DomainException {

  public ReaderException(SimulatorError code, String message) {
    super(code, message);
  }
}
