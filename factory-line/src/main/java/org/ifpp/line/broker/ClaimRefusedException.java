package org.ifpp.line.broker;

import org.ifpp.line.http.HttpCallException;

/**
 * The broker's final "no" to a claim: no package for this EID visible to this line (404), or
 * already claimed or reported (409), or a claim granted with a transactionId the line cannot use
 * ({@link BrokerClient#INVALID_TRANSACTION_ID}). Not retried: another attempt cannot change the
 * answer.
 */
public final class ClaimRefusedException extends HttpCallException {

  public ClaimRefusedException(String message, int status, String code) {
    super(message, status, code, null);
  }
}
