package org.ifpp.broker.lines;

import java.time.Instant;

/**
 * The recorded result.
 *
 * @param transactionId the package
 * @param outcome installed or failed
 * @param reportedAt when it was first recorded (a repeated report returns the same instant)
 */
public record ReportResponse(String transactionId, String outcome, Instant reportedAt) {}
