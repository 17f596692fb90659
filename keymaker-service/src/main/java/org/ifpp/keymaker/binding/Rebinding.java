package org.ifpp.keymaker.binding;

import java.util.List;
import java.util.Map;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Re-planning of a failed or abandoned binding: the same profile to the same eUICC with another
 * one-time key (a new PLANNED binding, attempt + 1), up to a bound; past it the profile is FAILED.
 * Runs in the caller's transaction; every decision is audited.
 */
final class Rebinding {

  private Rebinding() {}

  /**
   * @return true if a new attempt was planned
   */
  static boolean replan(
      JdbcTemplate jdbc, AuditLog audit, long bindingId, int maxAttempts, String actor) {
    List<Map<String, Object>> rows =
        jdbc.queryForList(
            "select batch_id, profile_id, euicc_id, attempt from bindings where id = ?", bindingId);
    if (rows.isEmpty()) {
      return false;
    }
    Map<String, Object> b = rows.get(0);
    int attempt = ((Number) b.get("attempt")).intValue();
    if (attempt >= maxAttempts) {
      jdbc.update(
          "update profiles set state = 'FAILED', updated_at = now() where id = ?",
          b.get("profile_id"));
      audit.append(
          AuditRecord.of(
              actor,
              "PROFILE_GIVEN_UP",
              Long.toString(bindingId),
              "attempts",
              Integer.toString(attempt)));
      return false;
    }
    Long next =
        jdbc.queryForObject(
            "insert into bindings (batch_id, profile_id, euicc_id, state, attempt,"
                + " previous_binding_id) values (?, ?, ?, 'PLANNED', ?, ?) returning id",
            Long.class,
            b.get("batch_id"),
            b.get("profile_id"),
            b.get("euicc_id"),
            attempt + 1,
            bindingId);
    jdbc.update(
        "update profiles set state = 'ALLOCATED', updated_at = now() where id = ?",
        b.get("profile_id"));
    audit.append(
        AuditRecord.of(
            actor,
            "BINDING_REPLANNED",
            Long.toString(bindingId),
            "next",
            Long.toString(next),
            "attempt",
            Integer.toString(attempt + 1)));
    return true;
  }
}
