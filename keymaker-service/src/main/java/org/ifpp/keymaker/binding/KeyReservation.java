package org.ifpp.keymaker.binding;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.ifpp.keymaker.euiccs.OneTimeKeyRepository;
import org.ifpp.keymaker.euiccs.OneTimeKeyRepository.SpentKey;
import org.ifpp.keymaker.instances.InstanceLease;
import org.ifpp.keymaker.profiles.ProfileJdbcRepository;

/**
 * The binder's first transaction (IFPP.md section 4 step 4): claims PLANNED bindings, gives each an
 * unused one-time key of its eUICC, marks the key SPENT, draws the transactionId and audits, in the
 * caller's transaction. From its commit on a key is never offered again, even if the process dies
 * before the package exists (GENS08). A binding whose chip has no key left is FAILED and its
 * profile AVAILABLE again. Each binding is reserved in this instance's name, and only while this
 * instance's lease holds (so recovery never takes it from a live instance).
 */
final class KeyReservation {

  private final BindingRepository bindings;
  private final OneTimeKeyRepository keys;
  private final ProfileJdbcRepository profiles;
  private final AuditLog audit;
  private final InstanceLease lease;
  private final SecureRandom random = new SecureRandom();

  KeyReservation(
      BindingRepository bindings,
      OneTimeKeyRepository keys,
      ProfileJdbcRepository profiles,
      AuditLog audit,
      InstanceLease lease) {
    this.lease = lease;
    this.bindings = bindings;
    this.keys = keys;
    this.profiles = profiles;
    this.audit = audit;
  }

  /** Reserves up to {@code limit} bindings; runs in the caller's transaction. */
  List<ReservedBinding> reserve(int limit) {
    if (!lease.hold()) {
      return List.of(); // lease lapsed: the heartbeat registers this instance again
    }
    List<BindingRepository.Planned> planned = bindings.claimPlanned(limit);
    Map<Long, ArrayDeque<SpentKey>> spent = spendKeys(planned);
    List<ReservedBinding> out = new ArrayList<>(planned.size());
    List<AuditRecord> records = new ArrayList<>(planned.size());
    List<Long> noKeyBindings = new ArrayList<>();
    List<Long> noKeyProfiles = new ArrayList<>();
    List<Long> keyIds = new ArrayList<>(planned.size());
    for (BindingRepository.Planned p : planned) {
      ArrayDeque<SpentKey> own = spent.get(p.euiccId());
      SpentKey key = own == null || own.isEmpty() ? spendKey(p.euiccId()) : own.poll();
      if (key == null) {
        noKeyBindings.add(p.id());
        noKeyProfiles.add(p.profileId());
        records.add(
            AuditRecord.of(
                "binder", "BINDING_FAILED", Long.toString(p.id()), "code", "no-one-time-key"));
        continue;
      }
      out.add(
          new ReservedBinding(
              p.id(),
              p.attempt(),
              p.profileId(),
              p.euiccId(),
              p.eid(),
              p.curve(),
              key.keyIndex(),
              key.publicKey(),
              TransactionId.random(random)));
      keyIds.add(key.id());
    }
    if (!noKeyBindings.isEmpty()) {
      bindings.failWithoutKey(noKeyBindings);
      profiles.releaseAll(noKeyProfiles);
    }
    if (!out.isEmpty()) {
      bindings.reserve(
          lease.id(),
          keyIds.toArray(Long[]::new),
          out.stream().map(r -> r.transactionId().toBytes()).toArray(byte[][]::new),
          out.stream().map(ReservedBinding::bindingId).toArray(Long[]::new));
      records.add(spentRecord(out));
    }
    if (!records.isEmpty()) {
      audit.appendAll(records);
    }
    return out;
  }

  /**
   * One record for the chunk's key spends (each binding, its chip, key and transactionId listed):
   * the same facts as one record per binding, at one row and one hash per chunk.
   */
  private static AuditRecord spentRecord(List<ReservedBinding> out) {
    AuditEntries spent = new AuditEntries();
    for (ReservedBinding r : out) {
      spent.add(
          Long.toString(r.bindingId()),
          r.eid().value(),
          Integer.toString(r.keyIndex()),
          r.transactionId().toHex());
    }
    return AuditRecord.of(
        "binder",
        "ONE_TIME_KEYS_SPENT",
        "bindings:" + out.get(0).bindingId(),
        "count",
        Integer.toString(out.size()),
        "bindings",
        spent.toString());
  }

  /**
   * Set-based: one statement marks SPENT, per eUICC of the chunk, as many of its lowest AVAILABLE
   * keys as the chunk has bindings for it. Returns the spent keys per eUICC, lowest index first; a
   * chip that got fewer keys than it needs falls back to {@link #spendKey} for the rest.
   */
  private Map<Long, ArrayDeque<SpentKey>> spendKeys(List<BindingRepository.Planned> planned) {
    Map<Long, Integer> needed = new LinkedHashMap<>();
    for (BindingRepository.Planned p : planned) {
      needed.merge(p.euiccId(), 1, Integer::sum);
    }
    Map<Long, ArrayDeque<SpentKey>> out = new HashMap<>();
    if (needed.isEmpty()) {
      return out;
    }
    List<SpentKey> spent =
        new ArrayList<>(
            keys.spendLowest(
                needed.keySet().toArray(Long[]::new), needed.values().toArray(Integer[]::new)));
    spent.sort(Comparator.comparingInt(SpentKey::keyIndex));
    for (SpentKey k : spent) {
      out.computeIfAbsent(k.euiccId(), e -> new ArrayDeque<>()).add(k);
    }
    return out;
  }

  /** Marks one AVAILABLE key of the chip SPENT and returns it, or null if none is left. */
  private SpentKey spendKey(long euiccId) {
    for (int attempt = 0; attempt < 5; attempt++) {
      List<SpentKey> key = keys.spendOne(euiccId);
      if (!key.isEmpty()) {
        return key.get(0);
      }
      if (keys.countAvailable(euiccId) == 0) {
        return null;
      }
      // Every remaining key is locked by a concurrent reservation: try again.
      Thread.onSpinWait();
    }
    return null;
  }
}
