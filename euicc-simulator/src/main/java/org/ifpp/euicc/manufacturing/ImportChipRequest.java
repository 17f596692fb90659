package org.ifpp.euicc.manufacturing;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.List;

/**
 * Build a chip around an existing eUICC certificate and key (e.g. the SGP.26 test eUICC). Test
 * personalisation only: a real chip's key is born inside it.
 *
 * @param certificate CERT.EUICC, base64 DER; its subject serialNumber is the EID
 * @param privateKeyPem the eUICC private key, PEM (SEC1 or PKCS#8)
 * @param chain base64 DER certificates above CERT.EUICC up to, not including, the CI (EUM first)
 * @param oneTimeKeys fresh one-time keys to create; absent: the default
 * @param deviceMakerCertificate as in {@link ManufactureRequest}
 */
public record ImportChipRequest(
    @NotBlank String certificate,
    @NotBlank String privateKeyPem,
    List<String> chain,
    @Min(1) @Max(64) Integer oneTimeKeys,
    String deviceMakerCertificate) {}
