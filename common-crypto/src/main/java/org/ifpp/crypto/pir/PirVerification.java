package org.ifpp.crypto.pir;

/** The outcome of {@link PirVerifier#verify}: a result signed by the eUICC, or why not. */
public sealed interface PirVerification {

  record Verified(SignedProfileInstallationResult result) implements PirVerification {}

  record Rejected(PirError error, String detail) implements PirVerification {}

  default boolean isVerified() {
    return this instanceof Verified;
  }
}
