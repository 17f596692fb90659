package org.ifpp.broker.batches;

/**
 * The effect of a purge.
 *
 * @param batchId the batch id
 * @param purged packages removed by this call (bytes deleted, state PURGED)
 * @param stillClaimed packages under a live claim, left alone (purge again after their lease)
 */
public record PurgeResponse(String batchId, int purged, long stillClaimed) {}
