package org.ifpp.euicc.manufacturing;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Make chips as the EUM.
 *
 * @param count how many chips (1 to ifpp.euicc.max-chips-per-request), a whole number
 * @param oneTimeKeys one-time keys per chip; absent: ifpp.euicc.one-time-keys-per-chip
 * @param deviceMakerCertificate the device maker's certificate (base64 DER, EC P-256) whose key the
 *     chips trust for their finalisation command; absent: ifpp.euicc.device-maker-certificate
 */
public record ManufactureRequest(
    @NotNull @Min(1) Integer count,
    @Min(1) @Max(64) Integer oneTimeKeys,
    String deviceMakerCertificate) {}
