package org.ifpp.euicc.finalisation;

/**
 * The device maker's finalisation command for one chip.
 *
 * @param command the signed command, base64 of the BF7A TLV (docs/finalisation.md); absent: the
 *     request is refused as unsigned
 */
public record FinaliseRequest(String command) {}
