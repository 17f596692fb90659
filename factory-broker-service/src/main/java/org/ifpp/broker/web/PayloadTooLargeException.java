package org.ifpp.broker.web;

import java.io.IOException;

/** Raised while reading a request body that exceeds {@code ifpp.broker.max-body-size}. */
public final class PayloadTooLargeException extends IOException {

  public PayloadTooLargeException(long limit) {
    super("request body exceeds the limit of " + limit + " bytes");
  }

  /** This exception somewhere in the cause chain of {@code t}, or null. */
  static PayloadTooLargeException findIn(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof PayloadTooLargeException p) {
        return p;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}
