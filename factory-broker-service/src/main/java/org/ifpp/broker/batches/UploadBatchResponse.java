package org.ifpp.broker.batches;

import java.time.Instant;

/**
 * The stored batch.
 *
 * @param batchId the batch id
 * @param packageCount number of packages stored
 * @param createdAt when the batch was committed
 */
public record UploadBatchResponse(String batchId, int packageCount, Instant createdAt) {}
