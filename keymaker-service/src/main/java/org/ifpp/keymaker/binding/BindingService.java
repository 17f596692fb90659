package org.ifpp.keymaker.binding;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.signing.Signer;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.ifpp.keymaker.batches.BatchRepository;
import org.ifpp.keymaker.delivery.OutboxRepository;
import org.ifpp.keymaker.eligibility.EligibilityService;
import org.ifpp.keymaker.euiccs.EuiccRepository;
import org.ifpp.keymaker.euiccs.OneTimeKeyRepository;
import org.ifpp.keymaker.orders.OrderId;
import org.ifpp.keymaker.orders.OrderService;
import org.ifpp.keymaker.profiles.ProfileJdbcRepository;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.web.DomainException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Plans binding batches (IFPP.md section 4 step 4): pairs profiles with eUICCs and stores the plan
 * (PLANNED bindings, profiles ALLOCATED) in one transaction; {@link BindingWorker} threads then
 * reserve keys, build, sign and hand packages to the outbox. Progress is read from the bindings.
 */
@Service
public class BindingService {

  private final BindingRepository bindings;
  private final BatchRepository batches;
  private final ProfileJdbcRepository profiles;
  private final EuiccRepository euiccs;
  private final OneTimeKeyRepository keys;
  private final OutboxRepository outbox;
  private final TransactionTemplate tx;
  private final AuditLog audit;
  private final Signer signer;
  private final OrderService orders;
  private final EligibilityService eligibility;

  BindingService(
      BindingRepository bindings,
      BatchRepository batches,
      ProfileJdbcRepository profiles,
      EuiccRepository euiccs,
      OneTimeKeyRepository keys,
      OutboxRepository outbox,
      TransactionTemplate tx,
      AuditLog audit,
      Signer signer,
      OrderService orders,
      EligibilityService eligibility) {
    this.bindings = bindings;
    this.batches = batches;
    this.profiles = profiles;
    this.euiccs = euiccs;
    this.keys = keys;
    this.outbox = outbox;
    this.tx = tx;
    this.audit = audit;
    this.signer = signer;
    this.orders = orders;
    this.eligibility = eligibility;
  }

  /** One explicit pair. */
  public record Pair(String iccid, String eid) {}

  /**
   * Plans a batch: either the next available profiles of {@code pool}, one per EID of {@code eids}
   * (an EID may repeat to bind several profiles to one chip), or explicit {@code pairs}.
   *
   * @return the batch id
   */
  public UUID plan(String actor, String pool, List<String> eids, List<Pair> pairs) {
    boolean poolMode = eids != null && !eids.isEmpty();
    boolean pairMode = pairs != null && !pairs.isEmpty();
    if (poolMode == pairMode) {
      throw new DomainException(
          KeymakerError.INVALID_BINDING_REQUEST,
          "give either pool + eids, or pairs (not both, not neither)");
    }
    List<Eid> targets = new ArrayList<>();
    for (String e : poolMode ? eids : pairs.stream().map(Pair::eid).toList()) {
      try {
        targets.add(Eid.of(e));
      } catch (IllegalArgumentException ex) {
        throw new DomainException(KeymakerError.INVALID_EID, String.valueOf(ex.getMessage()));
      }
    }
    if (targets.size() > 100_000) {
      throw new DomainException(KeymakerError.BATCH_TOO_LARGE, "at most 100000 bindings per batch");
    }
    return checked(
        actor,
        () ->
            tx.execute(
                s -> planInTransaction(actor, pool, targets, poolMode ? null : pairs, null)));
  }

  /** Runs a planning; a batch with ineligible chips is refused whole, each refusal audited. */
  private UUID checked(String actor, java.util.function.Supplier<UUID> planning) {
    try {
      return planning.get();
    } catch (EligibilityService.IneligibleChips e) {
      throw eligibility.refuse(actor, e);
    }
  }

  /**
   * Plans a batch under a production order: the order's pool, one profile per chip, each chip
   * admitted by {@link OrderService#admit} in the same transaction.
   *
   * @param eids the chips, or null/empty for the order's listed devices not bound yet
   */
  public UUID planForOrder(String actor, OrderId orderId, String pool, List<String> eids) {
    return checked(
        actor,
        () ->
            tx.execute(
                s -> {
                  OrderService.Admission admitted = orders.admit(orderId, pool, eids);
                  List<Eid> targets = admitted.eids().stream().map(Eid::of).toList();
                  return planInTransaction(actor, admitted.order().pool(), targets, null, orderId);
                }));
  }

  private UUID planInTransaction(
      String actor, String pool, List<Eid> targets, List<Pair> pairs, OrderId orderId) {
    boolean poolMode = pairs == null;
    Map<Eid, Long> euiccIds = euiccIds(targets);
    checkEligibility(pool, targets, pairs);
    List<Long> profileIds = poolMode ? poolProfiles(pool, targets.size()) : pairProfiles(pairs);
    checkKeys(targets, euiccIds);
    UUID batch = UUID.randomUUID();
    batches.insert(
        batch, BatchRepository.Kind.BIND, targets.size(), orderId == null ? null : orderId.value());
    Long[] euiccs = new Long[targets.size()];
    for (int i = 0; i < targets.size(); i++) {
      euiccs[i] = euiccIds.get(targets.get(i));
    }
    bindings.insertPlanned(batch, profileIds.toArray(Long[]::new), euiccs);
    profiles.allocateAll(profileIds.toArray(Long[]::new));
    audit.append(
        AuditRecord.of(
            actor,
            "BATCH_PLANNED",
            batch.toString(),
            "bindings",
            Integer.toString(targets.size()),
            "pool",
            poolMode ? pool : "-",
            "order",
            orderId == null ? "-" : orderId.toString()));
    return batch;
  }

  /** DPFF09: every chip against the rules of the pool its profile comes from. */
  private void checkEligibility(String pool, List<Eid> targets, List<Pair> pairs) {
    if (pairs == null) {
      eligibility.check(pool, targets);
      return;
    }
    // ICCIDs as stored (the planning finds profiles by the canonical form too)
    List<String> iccids =
        pairs.stream()
            .map(p -> p.iccid() == null ? "" : iccid(p.iccid()).map(Iccid::value).orElse(""))
            .toList();
    Map<String, String> pools = eligibility.poolsOf(iccids);
    Map<String, List<Eid>> byPool = new LinkedHashMap<>();
    for (int i = 0; i < pairs.size(); i++) {
      String p = pools.get(iccids.get(i));
      if (p != null) { // an unknown ICCID is refused by the planning (unknown-profile)
        byPool.computeIfAbsent(p, k -> new ArrayList<>()).add(targets.get(i));
      }
    }
    byPool.forEach(eligibility::check);
  }

  private Map<Eid, Long> euiccIds(List<Eid> targets) {
    Map<Eid, Long> ids = new HashMap<>();
    Map<Eid, String> curves = new HashMap<>();
    List<Eid> distinct = targets.stream().distinct().toList();
    for (int from = 0; from < distinct.size(); from += 1000) {
      List<Eid> part = distinct.subList(from, Math.min(distinct.size(), from + 1000));
      for (EuiccRepository.IdAndCurve c : euiccs.idsAndCurves(part)) {
        ids.put(c.eid(), c.id());
        curves.put(c.eid(), c.curve());
      }
    }
    for (Eid e : distinct) {
      if (!ids.containsKey(e)) {
        throw new DomainException(KeymakerError.UNKNOWN_EID, "no eUICC data imported for EID " + e);
      }
      // The one-time keys must be on the binding key's curve (IFPP.md section 5); refused here,
      // before the worker would spend one-time keys on bindings that cannot be built.
      String binding = signer.curve().name();
      if (!binding.equals(curves.get(e))) {
        throw new DomainException(
            KeymakerError.CURVE_MISMATCH,
            "EID " + e + " has " + curves.get(e) + " one-time keys; the binding key is " + binding);
      }
    }
    return ids;
  }

  private List<Long> poolProfiles(String pool, int n) {
    List<Long> ids = profiles.lockAvailable(pool, n);
    if (ids.size() < n) {
      throw new DomainException(
          KeymakerError.NOT_ENOUGH_PROFILES,
          "pool " + pool + " has " + ids.size() + " available profiles, " + n + " needed");
    }
    return ids;
  }

  private List<Long> pairProfiles(List<Pair> pairs) {
    List<Long> ids = new ArrayList<>(pairs.size());
    Map<String, Boolean> seen = new LinkedHashMap<>();
    for (Pair p : pairs) {
      if (p.iccid() == null || seen.put(p.iccid(), true) != null) {
        throw new DomainException(
            KeymakerError.DUPLICATE_IN_BATCH, "each ICCID at most once per batch");
      }
      ProfileJdbcRepository.IdAndState found =
          iccid(p.iccid())
              .flatMap(profiles::lockByIccid)
              .orElseThrow(
                  () ->
                      new DomainException(
                          KeymakerError.UNKNOWN_PROFILE, "no profile " + p.iccid()));
      if (!"AVAILABLE".equals(found.state())) {
        throw new DomainException(
            KeymakerError.PROFILE_NOT_AVAILABLE, "profile " + p.iccid() + " is " + found.state());
      }
      ids.add(found.id());
    }
    return ids;
  }

  /** A malformed ICCID names no stored profile (answered as unknown, as before). */
  private static java.util.Optional<Iccid> iccid(String text) {
    try {
      return java.util.Optional.of(Iccid.of(text));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }

  private void checkKeys(List<Eid> targets, Map<Eid, Long> euiccIds) {
    Map<Eid, Integer> needed = new HashMap<>();
    targets.forEach(e -> needed.merge(e, 1, Integer::sum));
    Long[] chips = euiccIds.values().toArray(Long[]::new);
    Map<Long, Long> available = keys.availableCounts(chips);
    Map<Long, Long> planned = bindings.plannedCounts(chips);
    for (Map.Entry<Eid, Integer> e : needed.entrySet()) {
      long id = euiccIds.get(e.getKey());
      long free = available.getOrDefault(id, 0L) - planned.getOrDefault(id, 0L);
      if (free < e.getValue()) {
        throw new DomainException(
            KeymakerError.NO_ONE_TIME_KEY,
            "eUICC " + e.getKey() + " has " + Math.max(free, 0) + " unused one-time keys");
      }
    }
  }

  /** Counts of a batch's bindings by state, and its completion. */
  public record Progress(
      UUID batchId,
      int total,
      Map<String, Long> states,
      long delivered,
      double percentBound,
      double percentDelivered) {}

  public Progress progress(UUID batchId) {
    int total =
        batches
            .total(batchId)
            .orElseThrow(
                () -> new DomainException(KeymakerError.UNKNOWN_BATCH, "no batch " + batchId));
    Map<String, Long> states = new LinkedHashMap<>();
    for (BindingState st : BindingState.values()) {
      states.put(st.name(), 0L);
    }
    states.putAll(bindings.stateCounts(batchId));
    long delivered = outbox.deliveredOfBatch(batchId);
    long done = states.get("BOUND") + states.get("INSTALLED") + states.get("FAILED");
    double pct = total == 0 ? 100.0 : Math.min(100.0, 100.0 * done / total);
    double pctDelivered = total == 0 ? 100.0 : Math.min(100.0, 100.0 * delivered / total);
    return new Progress(batchId, total, states, delivered, pct, pctDelivered);
  }
}
