package org.ifpp.broker.lines;

/**
 * A released claim: the package is AVAILABLE to any line again.
 *
 * @param transactionId the package
 * @param state always {@code AVAILABLE}
 */
public record ReleaseResponse(String transactionId, String state) {}
