package org.ifpp.broker.packagerequests;

import java.util.List;

/**
 * The Key Maker's answer to a package request: each chip of the request exactly once, either
 * accepted (the transactionId of its package, claimable as any package) or refused (a kebab-case
 * code of the Key Maker's catalogue and a detail).
 */
public record PackageAnswerBody(List<Accepted> accepted, List<Refused> refused) {

  public record Accepted(String eid, String transactionId) {}

  public record Refused(String eid, String code, String detail) {}
}
