package org.ifpp.euicc.web;

import jakarta.validation.constraints.NotEmpty;
import java.util.List;

/**
 * A batch of chips.
 *
 * @param eids EIDs (32 digits each)
 */
public record EidListRequest(@NotEmpty List<String> eids) {}
