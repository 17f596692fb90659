package org.ifpp.broker.lines;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The chip's answer after the package was pushed.
 *
 * @param eid optional: the chip the line pushed the package into; if given it must be the package's
 *     EID (the signed result names none: SGP.22 5.5.3)
 * @param outcome optional: {@code installed} or {@code failed}; if given it must agree with the
 *     signed result, which is what the broker records
 * @param profileInstallationResult base64 of the chip's signed ProfileInstallationResult (BF37)
 */
public record ReportRequest(
    String eid,
    @Schema(allowableValues = {"installed", "failed"}) String outcome,
    String profileInstallationResult) {}
