package org.ifpp.line.broker;

import org.ifpp.line.http.HttpCallException;

/**
 * The broker's final "no" to a claim: no package for this EID visible to this line (404), or
 * already claimed or reported (409), or a claim granted with an answer the line cannot use for this
 * chip ({@link #unusableGrant()}: {@link BrokerClient#INVALID_TRANSACTION_ID}, {@link
 * BrokerClient#INVALID_EID}, {@link BrokerClient#EID_MISMATCH}). Not retried: another attempt
 * cannot change the answer.
 */
public final class ClaimRefusedException extends HttpCallException {

  public ClaimRefusedException(String message, int status, String code) {
    super(message, status, code, null);
  }

  /** True for a claim the broker granted (2xx) whose answer the line cannot use for the chip. */
  public boolean unusableGrant() {
    return status() >= 200 && status() < 300;
  }
}
