package org.ifpp.keymaker.requests;

import java.util.List;

/**
 * The Key Maker's answer to a package request (docs/orders.md): every chip of the request once,
 * accepted with the transactionId of its package (claimable at the broker as any package), or
 * refused with a code of the Key Maker's catalogue and a detail.
 */
public record PackageAnswer(List<Accepted> accepted, List<Refused> refused) {

  public record Accepted(String eid, String transactionId) {}

  public record Refused(String eid, String code, String detail) {}
}
