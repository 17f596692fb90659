package org.ifpp.broker.lines;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A line asks for the package of the chip in front of it.
 *
 * @param eid the chip's 32-digit EID
 */
public record ClaimRequest(@Schema(example = "89049032123451234512345678901235") String eid) {}
