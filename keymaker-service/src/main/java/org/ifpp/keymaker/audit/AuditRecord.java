package org.ifpp.keymaker.audit;

import java.util.Map;
import java.util.TreeMap;

/**
 * One event for the audit log: who did what to which subject, with a few non-secret details (ids,
 * counts, codes; never key material or profile content).
 *
 * @param actor the authenticated principal or the internal component
 * @param action e.g. {@code PROFILE_IMPORTED}, {@code BINDING_SIGNED}
 * @param subject what it concerns, e.g. an ICCID, an EID, a binding id
 * @param details sorted, non-secret key/value details
 */
public record AuditRecord(
    String actor, String action, String subject, Map<String, String> details) {

  public AuditRecord {
    details = details == null ? Map.of() : new TreeMap<>(details);
  }

  public static AuditRecord of(String actor, String action, String subject, String... kv) {
    Map<String, String> d = new TreeMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      d.put(kv[i], kv[i + 1]);
    }
    return new AuditRecord(actor, action, subject, d);
  }
}
