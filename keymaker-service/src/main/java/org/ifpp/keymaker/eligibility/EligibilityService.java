package org.ifpp.keymaker.eligibility;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.ifpp.crypto.euiccdata.EuiccCategory;
import org.ifpp.crypto.euiccdata.EuiccInfo2;
import org.ifpp.crypto.euiccdata.UiccCapability;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.web.DomainException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The eligibility check (DPFF09, docs/orders.md): before any binding, bulk or on request, each chip
 * is checked against the rules of the pool its profile comes from. It reads only what the chip's
 * verified eUICC data brought (the EUM certificate, the EID, the chip-signed EUICCInfo2), so a
 * factory relaying the data cannot change the answer. A refused chip is audited ({@code
 * CHIP_INELIGIBLE}, with its code) and nothing is consumed for it.
 */
@Service
public class EligibilityService {

  /** Why one chip may not get the pool's profiles: one of the {@code INELIGIBLE_*} codes. */
  public record Refusal(KeymakerError code, String detail) {}

  private final EligibilityRepository repository;
  private final AuditLog audit;
  private final TransactionTemplate tx;

  /** The refusals' audit commits even though the binding's transaction rolls back. */
  private final TransactionTemplate ownTx;

  private final JsonMapper json = JsonMapper.builder().build();

  EligibilityService(EligibilityRepository repository, AuditLog audit, TransactionTemplate tx) {
    this.repository = repository;
    this.audit = audit;
    this.tx = tx;
    this.ownTx = new TransactionTemplate(tx.getTransactionManager());
    this.ownTx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  /** The pool's rules; none means every verified chip is eligible. */
  public Optional<EligibilityRules> rules(String pool) {
    return repository.rules(pool).map(s -> json.readValue(s, EligibilityRules.class));
  }

  /** Sets (replaces) the pool's rules, audited as {@code ELIGIBILITY_RULES_SET}. */
  public EligibilityRules setRules(String actor, String pool, EligibilityRules rules) {
    EligibilityRules valid = rules.validated();
    String text = json.writeValueAsString(valid);
    tx.executeWithoutResult(
        s -> {
          repository.save(pool, text);
          audit.append(AuditRecord.of(actor, "ELIGIBILITY_RULES_SET", pool, "rules", text));
        });
    return valid;
  }

  /**
   * The chips among {@code eids} the pool's rules refuse, each with its reason, in request order.
   * Chips with no eUICC data are left to the binding (unknown-eid).
   */
  public Map<Eid, Refusal> screen(String pool, List<Eid> eids) {
    Map<Eid, Refusal> refused = new LinkedHashMap<>();
    Optional<EligibilityRules> found = rules(pool);
    if (found.isEmpty() || eids.isEmpty()) {
      return refused;
    }
    EligibilityRules rules = found.get();
    Map<Eid, EligibilityRepository.ChipFacts> facts = new HashMap<>();
    List<Eid> distinct = eids.stream().distinct().toList();
    for (int from = 0; from < distinct.size(); from += 1000) {
      String[] part =
          distinct.subList(from, Math.min(distinct.size(), from + 1000)).stream()
              .map(Eid::value)
              .toArray(String[]::new);
      repository.chips(part).forEach(c -> facts.put(c.eid(), c));
    }
    Map<ByteBuffer, String> skis = new HashMap<>();
    for (Eid eid : distinct) {
      EligibilityRepository.ChipFacts chip = facts.get(eid);
      if (chip != null) {
        Refusal r = check(rules, chip, skis);
        if (r != null) {
          refused.put(eid, r);
        }
      }
    }
    return refused;
  }

  /**
   * Checks chips for a batch that is refused whole (bulk binding), in the planning transaction.
   *
   * @throws IneligibleChips if any chip is refused (the planning rolls back; then {@link #refuse})
   */
  public void check(String pool, List<Eid> eids) {
    Map<Eid, Refusal> refused = screen(pool, eids);
    if (!refused.isEmpty()) {
      throw new IneligibleChips(pool, refused);
    }
  }

  /** Some chips of a batch are not eligible: what {@link #check} found. */
  public static final class IneligibleChips extends RuntimeException {
    private final String pool;
    private final transient Map<Eid, Refusal> refused;

    IneligibleChips(String pool, Map<Eid, Refusal> refused) {
      super("ineligible chips", null, false, false);
      this.pool = pool;
      this.refused = refused;
    }
  }

  /**
   * After a planning rolled back for {@link IneligibleChips}: audits every refused chip in a
   * transaction of its own and answers the refusal, with the first chip's code.
   */
  public DomainException refuse(String actor, IneligibleChips e) {
    ownTx.executeWithoutResult(s -> record(actor, e.pool, e.refused));
    Map.Entry<Eid, Refusal> first = e.refused.entrySet().iterator().next();
    return new DomainException(
        first.getValue().code(),
        e.refused.size()
            + " chip(s) not eligible for pool "
            + e.pool
            + "; EID "
            + first.getKey()
            + ": "
            + first.getValue().detail());
  }

  /** The pool of each stored profile among {@code iccids} (for batches of explicit pairs). */
  public Map<String, String> poolsOf(List<String> iccids) {
    Map<String, String> out = new HashMap<>();
    repository.pools(iccids.toArray(String[]::new)).forEach(r -> out.put(r[0], r[1]));
    return out;
  }

  /** Audits refusals ({@code CHIP_INELIGIBLE}) in the caller's transaction. */
  public void record(String actor, String pool, Map<Eid, Refusal> refused) {
    List<AuditRecord> records = new ArrayList<>();
    refused.forEach(
        (eid, r) ->
            records.add(
                AuditRecord.of(
                    actor,
                    "CHIP_INELIGIBLE",
                    eid.value(),
                    "pool",
                    pool,
                    "code",
                    r.code().code(),
                    "detail",
                    r.detail())));
    if (!records.isEmpty()) {
      audit.appendAll(records);
    }
  }

  private static Refusal check(
      EligibilityRules rules, EligibilityRepository.ChipFacts chip, Map<ByteBuffer, String> skis) {
    if (!EligibilityRules.empty(rules.eums())) {
      String ski =
          skis.computeIfAbsent(
              ByteBuffer.wrap(chip.eumCertificate()), k -> ski(chip.eumCertificate()));
      if (!rules.eums().contains(ski)) {
        return new Refusal(KeymakerError.INELIGIBLE_EUM, "EUM " + ski + " is not allowed");
      }
    }
    if (!EligibilityRules.empty(rules.eidRanges())) {
      String eid = chip.eid().value();
      boolean in =
          rules.eidRanges().stream()
              .anyMatch(r -> eid.compareTo(r.first()) >= 0 && eid.compareTo(r.last()) <= 0);
      if (!in) {
        return new Refusal(KeymakerError.INELIGIBLE_EID, "EID outside the allowed ranges");
      }
    }
    if (rules.readsCapabilities()) {
      if (chip.euiccInfo2() == null) {
        return new Refusal(
            KeymakerError.INELIGIBLE_CAPABILITIES, "the eUICC data carries no EUICCInfo2");
      }
      EuiccInfo2 info = EuiccInfo2.parse(chip.euiccInfo2());
      if (!EligibilityRules.empty(rules.uiccCapabilities())) {
        List<String> missing =
            rules.uiccCapabilities().stream()
                .filter(
                    c ->
                        !info.uiccCapabilities()
                            .contains(UiccCapability.fromAsn1Name(c).orElseThrow()))
                .toList();
        if (!missing.isEmpty()) {
          return new Refusal(
              KeymakerError.INELIGIBLE_CAPABILITIES, "UICC capabilities missing: " + missing);
        }
      }
      if (!EligibilityRules.empty(rules.euiccCategories())) {
        String category = info.category().map(EuiccCategory::asn1Name).orElse("none");
        if (!rules.euiccCategories().contains(category)) {
          return new Refusal(
              KeymakerError.INELIGIBLE_CAPABILITIES, "eUICC category " + category + " not allowed");
        }
      }
    }
    return null;
  }

  /** The EUM certificate's Subject Key Identifier, upper-case hex ("" if it has none). */
  private static String ski(byte[] certificate) {
    try {
      Extension e =
          new X509CertificateHolder(certificate).getExtension(Extension.subjectKeyIdentifier);
      return e == null
          ? ""
          : HexFormat.of()
              .withUpperCase()
              .formatHex(SubjectKeyIdentifier.getInstance(e.getParsedValue()).getKeyIdentifier());
    } catch (IOException e) {
      return "";
    }
  }
}
