package org.ifpp.line.http;

import java.io.IOException;

/**
 * Sends one request once and returns the complete answer. No retries here: {@link Http} decides
 * what may be repeated.
 */
@FunctionalInterface
public interface HttpTransport {

  /**
   * @throws IOException when no complete answer arrived (connection refused or lost, timeout): the
   *     outcome of the request is unknown
   */
  Response exchange(Request request) throws IOException;
}
