package org.ifpp.euicc.profiles;

/**
 * The result codes of ES10c.EnableProfile, DisableProfile, DeleteProfile and SetNickname (SGP.22
 * 5.7.16-5.7.18, 5.7.21): the INTEGER each response carries.
 */
public enum ProfileOperationResult {
  OK(0),
  ICCID_OR_AID_NOT_FOUND(1),
  /** profileNotInDisabledState (enable, delete) or profileNotInEnabledState (disable). */
  WRONG_PROFILE_STATE(2),
  /** disallowedByPolicy: here, field services are still locked (EUICCF04). */
  DISALLOWED_BY_POLICY(3);

  private final int code;

  ProfileOperationResult(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
