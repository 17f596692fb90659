package org.ifpp.euicc.loading;

/**
 * A segmented load session still waiting for segments.
 *
 * @param sessionId the session
 * @param expecting what the next segment must be (state of the assembler)
 * @param segmentsReceived segments accepted so far
 */
public record SessionResponse(String sessionId, String expecting, int segmentsReceived) {}
