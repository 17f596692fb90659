package org.ifpp.euicc.loading;

import org.ifpp.euicc.SimulatorError;
import org.ifpp.web.DomainException;

/**
 * An ES10b segment does not fit the segmentation of SGP.22 section 2.5.5 (wrong order, a truncated
 * or overlong segment, lengths that do not add up). Nothing has been checked or consumed yet when
 * this is thrown: the package never reached the eUICC's checks. Carries a stable code.
 */
public class SegmentationException extends DomainException {

  public SegmentationException(SimulatorError code, String message) {
    super(code, message);
  }
}
