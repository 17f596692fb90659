package org.ifpp.euicc.web;

/** A request body beyond ifpp.euicc.max-package-bytes: a 413. */
class PayloadTooLargeException extends RuntimeException {

  PayloadTooLargeException(String message) {
    super(message);
  }
}
