package org.ifpp.keymaker.binding;

import java.util.Optional;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.ifpp.keymaker.profiles.ProfileJdbcRepository;

/**
 * Re-planning of a failed or abandoned binding: the same profile to the same eUICC with another
 * one-time key (a new PLANNED binding, attempt + 1), up to a bound; past it the profile is FAILED.
 * Runs in the caller's transaction; every decision is audited.
 */
final class Rebinding {

  private final BindingRepository bindings;
  private final ProfileJdbcRepository profiles;
  private final AuditLog audit;
  private final int maxAttempts;

  Rebinding(
      BindingRepository bindings, ProfileJdbcRepository profiles, AuditLog audit, int maxAttempts) {
    this.bindings = bindings;
    this.profiles = profiles;
    this.audit = audit;
    this.maxAttempts = maxAttempts;
  }

  /**
   * @return true if a new attempt was planned
   */
  boolean replan(long bindingId, String actor) {
    Optional<BindingRepository.Attempt> found = bindings.attempt(bindingId);
    if (found.isEmpty()) {
      return false;
    }
    BindingRepository.Attempt b = found.get();
    if (b.attempt() >= maxAttempts) {
      profiles.markFailed(b.profileId());
      audit.append(
          AuditRecord.of(
              actor,
              "PROFILE_GIVEN_UP",
              Long.toString(bindingId),
              "attempts",
              Integer.toString(b.attempt())));
      return false;
    }
    long next = bindings.insertReplanned(b, bindingId);
    profiles.allocate(b.profileId());
    audit.append(
        AuditRecord.of(
            actor,
            "BINDING_REPLANNED",
            Long.toString(bindingId),
            "next",
            Long.toString(next),
            "attempt",
            Integer.toString(b.attempt() + 1)));
    return true;
  }
}
