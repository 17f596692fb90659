package org.ifpp.euicc.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Make chips as the EUM.
 *
 * @param count how many chips (1 to ifpp.euicc.max-chips-per-request)
 * @param oneTimeKeys one-time keys per chip; absent: ifpp.euicc.one-time-keys-per-chip
 */
public record ManufactureRequest(@Min(1) int count, @Min(1) @Max(64) Integer oneTimeKeys) {}
