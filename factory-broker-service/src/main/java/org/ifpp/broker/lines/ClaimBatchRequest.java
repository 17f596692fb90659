package org.ifpp.broker.lines;

import java.util.List;

/**
 * The EIDs of the next chips in front of a line, for {@code POST /api/v1/claims/batch}.
 *
 * @param eids 1 to {@value LineController#MAX_CLAIMS} EIDs
 */
public record ClaimBatchRequest(List<String> eids) {}
