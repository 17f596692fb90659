package org.ifpp.keymaker.web;

/**
 * Who calls the API (section 2 of IFPP.md: the operator is trusted, the broker is not; the auditor,
 * the security officer, reads the audit chain).
 */
public enum Role {
  OPERATOR,
  BROKER,
  AUDITOR;

  /** The request attribute that holds the authenticated role. */
  public static final String ATTRIBUTE = "org.ifpp.keymaker.role";
}
