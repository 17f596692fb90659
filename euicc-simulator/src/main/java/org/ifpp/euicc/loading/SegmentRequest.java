package org.ifpp.euicc.loading;

/**
 * One ES10b segment as JSON (the endpoint also takes it raw as application/octet-stream).
 *
 * @param segment the segment, base64
 */
public record SegmentRequest(String segment) {}
