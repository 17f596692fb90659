package org.ifpp.euicc.manufacturing;

import java.util.List;

/**
 * @param eids the EIDs of the new chips, in order
 * @param oneTimeKeysPerChip keys each chip holds
 */
public record ManufactureResponse(List<String> eids, int oneTimeKeysPerChip) {}
