package org.ifpp.euicc.loading;

/**
 * The input is not a Bound Profile Package at all (garbage, truncated before BF23 is complete): no
 * chip check ran, nothing was consumed, and there is no transaction to sign a result for.
 */
public class MalformedPackageException extends RuntimeException {

  private final String code;

  public MalformedPackageException(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
