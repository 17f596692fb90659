package org.ifpp.keymaker.binding;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.signing.Signer;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.web.DomainException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Plans binding batches (IFPP.md section 4 step 4): pairs profiles with eUICCs and stores the plan
 * (PLANNED bindings, profiles ALLOCATED) in one transaction; {@link BindingWorker} threads then
 * reserve keys, build, sign and hand packages to the outbox. Progress is read from the bindings.
 */
@Service
public class BindingService {

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final AuditLog audit;
  private final Signer signer;

  public BindingService(JdbcTemplate jdbc, TransactionTemplate tx, AuditLog audit, Signer signer) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.audit = audit;
    this.signer = signer;
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
    return tx.execute(
        s -> {
          Map<String, Long> euiccIds = euiccIds(targets);
          List<Long> profileIds =
              poolMode ? poolProfiles(pool, targets.size()) : pairProfiles(pairs);
          checkKeys(targets, euiccIds);
          UUID batch = UUID.randomUUID();
          jdbc.update(
              "insert into batches (id, kind, total) values (?, 'BIND', ?)", batch, targets.size());
          Long[] euiccs = new Long[targets.size()];
          for (int i = 0; i < targets.size(); i++) {
            euiccs[i] = euiccIds.get(targets.get(i).value());
          }
          // One statement for the batch, the pairs as two arrays, in request order (the workers
          // claim bindings by id).
          jdbc.update(
              "insert into bindings (batch_id, profile_id, euicc_id, state, attempt)"
                  + " select ?, v.profile_id, v.euicc_id, 'PLANNED', 1 from unnest(?::bigint[],"
                  + " ?::bigint[]) with ordinality as v (profile_id, euicc_id, n) order by v.n",
              batch,
              profileIds.toArray(Long[]::new),
              euiccs);
          // One statement for the batch (a JDBC batch of single-row updates costs PostgreSQL one
          // statement per profile).
          jdbc.update(
              "update profiles set state = 'ALLOCATED', updated_at = now() where id = any (?)",
              (Object) profileIds.toArray(Long[]::new));
          audit.append(
              AuditRecord.of(
                  actor,
                  "BATCH_PLANNED",
                  batch.toString(),
                  "bindings",
                  Integer.toString(targets.size()),
                  "pool",
                  poolMode ? pool : "-"));
          return batch;
        });
  }

  private Map<String, Long> euiccIds(List<Eid> targets) {
    Map<String, Long> ids = new HashMap<>();
    Map<String, String> curves = new HashMap<>();
    List<String> distinct = targets.stream().map(Eid::value).distinct().toList();
    for (int from = 0; from < distinct.size(); from += 1000) {
      List<String> part = distinct.subList(from, Math.min(distinct.size(), from + 1000));
      jdbc.query(
          "select id, eid, curve from euiccs where eid = any (?)",
          rs -> {
            ids.put(rs.getString("eid"), rs.getLong("id"));
            curves.put(rs.getString("eid"), rs.getString("curve"));
          },
          (Object) part.toArray(String[]::new));
    }
    for (String e : distinct) {
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
    List<Long> ids =
        jdbc.queryForList(
            "select id from profiles where pool = ? and state = 'AVAILABLE' order by id limit ?"
                + " for update skip locked",
            Long.class,
            pool,
            n);
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
      List<Map<String, Object>> found =
          jdbc.queryForList("select id, state from profiles where iccid = ? for update", p.iccid());
      if (found.isEmpty()) {
        throw new DomainException(KeymakerError.UNKNOWN_PROFILE, "no profile " + p.iccid());
      }
      if (!"AVAILABLE".equals(found.get(0).get("state"))) {
        throw new DomainException(
            KeymakerError.PROFILE_NOT_AVAILABLE,
            "profile " + p.iccid() + " is " + found.get(0).get("state"));
      }
      ids.add(((Number) found.get(0).get("id")).longValue());
    }
    return ids;
  }

  private void checkKeys(List<Eid> targets, Map<String, Long> euiccIds) {
    Map<String, Integer> needed = new HashMap<>();
    targets.forEach(e -> needed.merge(e.value(), 1, Integer::sum));
    Map<Long, Long> available = new HashMap<>();
    jdbc.query(
        "select euicc_id, count(*) as n from one_time_keys where state = 'AVAILABLE'"
            + " and euicc_id = any (?) group by euicc_id",
        rs -> {
          available.put(rs.getLong("euicc_id"), rs.getLong("n"));
        },
        (Object) euiccIds.values().toArray(Long[]::new));
    Map<Long, Long> planned = new HashMap<>();
    jdbc.query(
        "select euicc_id, count(*) as n from bindings where planned"
            + " and euicc_id = any (?) group by euicc_id",
        rs -> {
          planned.put(rs.getLong("euicc_id"), rs.getLong("n"));
        },
        (Object) euiccIds.values().toArray(Long[]::new));
    for (Map.Entry<String, Integer> e : needed.entrySet()) {
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
    List<Integer> totals =
        jdbc.queryForList("select total from batches where id = ?", Integer.class, batchId);
    if (totals.isEmpty()) {
      throw new DomainException(KeymakerError.UNKNOWN_BATCH, "no batch " + batchId);
    }
    int total = totals.get(0);
    Map<String, Long> states = new LinkedHashMap<>();
    for (BindingState st : BindingState.values()) {
      states.put(st.name(), 0L);
    }
    jdbc.query(
        "select state, count(*) as n from bindings where batch_id = ? group by state",
        rs -> {
          states.put(rs.getString("state"), rs.getLong("n"));
        },
        batchId);
    Long delivered =
        jdbc.queryForObject(
            "select count(*) from outbox o join bindings b on b.id = o.binding_id"
                + " where b.batch_id = ? and o.state = 'SENT'",
            Long.class,
            batchId);
    long done = states.get("BOUND") + states.get("INSTALLED") + states.get("FAILED");
    double pct = total == 0 ? 100.0 : Math.min(100.0, 100.0 * done / total);
    double pctDelivered = total == 0 ? 100.0 : Math.min(100.0, 100.0 * delivered / total);
    return new Progress(batchId, total, states, delivered, pct, pctDelivered);
  }
}
