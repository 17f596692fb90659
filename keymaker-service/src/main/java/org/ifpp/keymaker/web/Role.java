package org.ifpp.keymaker.web;

/** Who calls the API (section 2 of IFPP.md: the operator is trusted, the broker is not). */
public enum Role {
  OPERATOR,
  BROKER;

  /** The request attribute that holds the authenticated role. */
  public static final String ATTRIBUTE = "org.ifpp.keymaker.role";
}
