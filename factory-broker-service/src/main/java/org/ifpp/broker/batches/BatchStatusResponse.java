package org.ifpp.broker.batches;

import java.time.Instant;

/**
 * Where the packages of a batch stand.
 *
 * @param batchId the batch id
 * @param targetFactory its factory
 * @param packageCount packages uploaded
 * @param available not yet claimed (or lease expired)
 * @param claimed held by a line
 * @param reported a result came back
 * @param purged removed unclaimed at end of production
 * @param createdAt upload time
 * @param purgedAt last purge, or null
 */
public record BatchStatusResponse(
    String batchId,
    String targetFactory,
    int packageCount,
    long available,
    long claimed,
    long reported,
    long purged,
    Instant createdAt,
    Instant purgedAt) {}
