package org.ifpp.broker.lines;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The chip's answer after the package was pushed.
 *
 * @param outcome {@code installed} or {@code failed}, as the line read it
 * @param profileInstallationResult base64 of the chip's signed ProfileInstallationResult (BF37)
 */
public record ReportRequest(
    @Schema(allowableValues = {"installed", "failed"}) String outcome,
    String profileInstallationResult) {}
