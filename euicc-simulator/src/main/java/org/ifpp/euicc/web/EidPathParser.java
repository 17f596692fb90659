package org.ifpp.euicc.web;

import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.web.DomainException;

/** Parses EIDs from requests, turning format errors into a 400 {@code invalid-eid}. */
public final class EidPathParser {

  private EidPathParser() {}

  public static Eid parse(String text) {
    try {
      return Eid.of(text);
    } catch (IllegalArgumentException e) {
      throw new DomainException(SimulatorError.INVALID_EID, e.getMessage());
    }
  }
}
