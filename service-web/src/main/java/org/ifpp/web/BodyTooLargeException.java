package org.ifpp.web;

import java.io.IOException;

/**
 * Raised while reading a request body that passes {@code ifpp.web.max-body-size}. An IOException so
 * that it travels through the message converters; the advice finds it in the cause chain.
 */
public final class BodyTooLargeException extends IOException {

  public BodyTooLargeException(long limit) {
    super("request body exceeds the limit of " + limit + " bytes");
  }

  /** This exception somewhere in the cause chain of {@code t}, or null. */
  static BodyTooLargeException findIn(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BodyTooLargeException p) {
        return p;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}
