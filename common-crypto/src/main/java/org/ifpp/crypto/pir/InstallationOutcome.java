package org.ifpp.crypto.pir;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/** The finalResult CHOICE of a Profile Installation Result (SGP.22 section 5.5.3, tag A2). */
public sealed interface InstallationOutcome {

  /**
   * successResult (A0).
   *
   * @param aid the AID of the ISD-P that holds the profile (tag 4F, 5 to 16 bytes)
   * @param simaResponse the SIMalliance EUICCResponse(s) of the profile elements (tag 04)
   */
  record SuccessResult(byte[] aid, byte[] simaResponse) implements InstallationOutcome {

    /**
     * @throws IllegalArgumentException if the AID is not 5 to 16 bytes
     */
    public SuccessResult {
      Objects.requireNonNull(aid, "aid");
      Objects.requireNonNull(simaResponse, "simaResponse");
      if (aid.length < 5 || aid.length > 16) {
        throw new IllegalArgumentException("ISD-P AID must be 5 to 16 bytes");
      }
      aid = aid.clone();
      simaResponse = simaResponse.clone();
    }

    @Override
    public byte[] aid() {
      return aid.clone();
    }

    @Override
    public byte[] simaResponse() {
      return simaResponse.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SuccessResult other
          && Arrays.equals(aid, other.aid)
          && Arrays.equals(simaResponse, other.simaResponse);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(aid) + Arrays.hashCode(simaResponse);
    }

    @Override
    public String toString() {
      return "SuccessResult[aid=" + HexFormat.of().withUpperCase().formatHex(aid) + "]";
    }
  }

  /**
   * errorResult (A1).
   *
   * @param bppCommandId the command that failed (tag 80)
   * @param errorReason why (tag 81)
   * @param simaResponse the SIMalliance EUICCResponse, if the failure was in a profile element
   */
  record ErrorResult(
      BppCommandId bppCommandId, ErrorReason errorReason, Optional<byte[]> simaResponse)
      implements InstallationOutcome {

    public ErrorResult {
      Objects.requireNonNull(bppCommandId, "bppCommandId");
      Objects.requireNonNull(errorReason, "errorReason");
      simaResponse = Objects.requireNonNull(simaResponse, "simaResponse").map(byte[]::clone);
    }

    public ErrorResult(BppCommandId bppCommandId, ErrorReason errorReason) {
      this(bppCommandId, errorReason, Optional.empty());
    }

    @Override
    public Optional<byte[]> simaResponse() {
      return simaResponse.map(byte[]::clone);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ErrorResult other
          && bppCommandId == other.bppCommandId
          && errorReason == other.errorReason
          && Arrays.equals(simaResponse.orElse(null), other.simaResponse.orElse(null));
    }

    @Override
    public int hashCode() {
      return Objects.hash(bppCommandId, errorReason, Arrays.hashCode(simaResponse.orElse(null)));
    }

    @Override
    public String toString() {
      return "ErrorResult[" + bppCommandId + ", " + errorReason + "]";
    }
  }
}
