package org.ifpp.cli;

/** A user-facing error: printed as one line on stderr, exit code {@link #exitCode()}. */
final class CliException extends RuntimeException {

  private final int exitCode;

  CliException(String message) {
    this(message, 2);
  }

  CliException(String message, int exitCode) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
