package org.ifpp.line.broker;

/**
 * A package claimed by this line for the chip in front of it (the broker's lease).
 *
 * @param packageId the broker's id of the package (used in the download, report and release paths)
 * @param eid the chip's EID
 * @param transactionId the binding's transactionId (hex), when the broker tells it
 * @param batchId the batch the package belongs to (its binding certificate is per batch), or null
 * @param leaseExpiresAt the lease's end as the broker wrote it, or null
 */
public record Claim(
    String packageId, String eid, String transactionId, String batchId, String leaseExpiresAt) {}
