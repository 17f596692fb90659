package org.ifpp.keymaker.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.ifpp.crypto.euiccdata.BatchParseResult;
import org.ifpp.crypto.euiccdata.EuiccDataBatch;
import org.ifpp.crypto.euiccdata.EuiccDataParseResult;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.binding.BindingRebinder;
import org.ifpp.keymaker.binding.BindingRunner;
import org.ifpp.keymaker.binding.BindingService;
import org.ifpp.keymaker.euiccs.EuiccDataService;
import org.ifpp.keymaker.profiles.ProfileImportService;
import org.ifpp.keymaker.web.Ids;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.web.DomainException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the Key Maker's console shows and does: read views from {@link ConsoleRepository}, every
 * action through the same services as the API (import, plan a batch, abandon and re-bind, verify
 * the audit chain), with the console user as the audited actor.
 */
@Service
class KeymakerConsole {

  private final ConsoleRepository views;
  private final ProfileImportService profiles;
  private final EuiccDataService euiccData;
  private final BindingService bindings;
  private final BindingRunner runner;
  private final BindingRebinder rebinder;
  private final AuditLog audit;
  private final HealthIndicator db;
  private final HealthIndicator hsm;
  private final JsonMapper json;

  KeymakerConsole(
      ConsoleRepository views,
      ProfileImportService profiles,
      EuiccDataService euiccData,
      BindingService bindings,
      BindingRunner runner,
      BindingRebinder rebinder,
      AuditLog audit,
      @Qualifier("dbHealthIndicator") HealthIndicator db,
      @Qualifier("hsmHealthIndicator") HealthIndicator hsm,
      JsonMapper json) {
    this.views = views;
    this.profiles = profiles;
    this.euiccData = euiccData;
    this.bindings = bindings;
    this.runner = runner;
    this.rebinder = rebinder;
    this.audit = audit;
    this.db = db;
    this.hsm = hsm;
    this.json = json;
  }

  /** Profile counts: pool -> state -> count. */
  Map<String, Map<String, Long>> profileCounts() {
    Map<String, Map<String, Long>> pools = new TreeMap<>();
    for (ConsoleRepository.PoolCount c : views.profileCounts()) {
      pools.computeIfAbsent(c.pool(), p -> new TreeMap<>()).put(c.state(), c.count());
    }
    return pools;
  }

  /**
   * One past import as the history shows it.
   *
   * @param outcome STORED, PARTLY REJECTED, REFUSED (profiles: all or nothing) or REJECTED
   * @param rejected the refused or rejected items, each with its code
   */
  record ImportRow(
      Instant at, String outcome, String summary, String actor, List<Rejection> rejected) {}

  /** A refused or rejected item: the profile's position in the import or the chip's EID. */
  record Rejection(String item, String code) {}

  /** The latest profile imports, stored and refused, newest first. */
  List<ImportRow> profileImports() {
    return views.profileImports(10).stream().map(KeymakerConsole::importRow).toList();
  }

  /** The latest eUICC data imports (chips stored, chips rejected), newest first. */
  List<ImportRow> euiccImports() {
    return views.euiccImports(10).stream().map(KeymakerConsole::importRow).toList();
  }

  private static ImportRow importRow(ConsoleRepository.PastImport p) {
    Map<String, String> d = p.details().isEmpty() ? Map.of() : AuditLog.parseDetails(p.details());
    return switch (p.action()) {
      case "PROFILES_STORED" ->
          new ImportRow(
              p.at(),
              "STORED",
              p.total()
                  + " profile(s), "
                  + p.stored()
                  + " still stored (import "
                  + p.subject()
                  + ")",
              null,
              List.of());
      case "PROFILE_IMPORT_REFUSED" ->
          new ImportRow(
              p.at(),
              "REFUSED",
              d.get("profiles") + " profile(s) for pool " + p.subject() + ", none stored",
              p.actor(),
              List.of(new Rejection(d.get("item"), d.get("code"))));
      case "EUICC_DATA_IMPORTED" ->
          new ImportRow(
              p.at(),
              "STORED",
              d.get("eUICCs")
                  + " chip(s), "
                  + d.get("oneTimeKeys")
                  + " one-time key(s), EIDs "
                  + p.subject()
                  + " to "
                  + d.get("lastEid"),
              p.actor(),
              List.of());
      default ->
          new ImportRow(
              p.at(),
              "0".equals(d.get("accepted")) ? "REJECTED" : "PARTLY REJECTED",
              d.get("accepted") + " chip(s) accepted, " + d.get("rejected") + " rejected",
              p.actor(),
              ConsoleForms.split(d.getOrDefault("items", "")).stream()
                  .map(
                      i -> {
                        int colon = i.lastIndexOf(':');
                        return new Rejection(i.substring(0, colon), i.substring(colon + 1));
                      })
                  .toList());
    };
  }

  int importProfiles(String actor, String pool, List<byte[]> ders) {
    if (ders.isEmpty()) {
      throw new DomainException(KeymakerError.EMPTY_IMPORT, "choose at least one profile file");
    }
    return profiles.importAll(actor, pool, new ArrayList<>(ders)).size();
  }

  /**
   * An EUM's file: the JSON form ({@code ifpp-euicc-data/1}) or a DER batch (E2), as the API takes
   * them (docs/euicc-data-format.md section 4).
   */
  EuiccDataService.ImportResult importEuiccData(String actor, byte[] file) {
    List<EuiccDataService.Filed> filed = new ArrayList<>();
    if (file.length > 0 && (file[0] == '{' || Character.isWhitespace(file[0]))) {
      JsonNode root;
      try {
        root = json.readTree(file);
      } catch (RuntimeException e) {
        throw new DomainException(KeymakerError.MALFORMED, "not JSON eUICC data");
      }
      String format = root.path("format").asString("ifpp-euicc-data/1");
      if (!"ifpp-euicc-data/1".equals(format)) {
        throw new DomainException(
            KeymakerError.UNSUPPORTED_FORMAT, "format must be ifpp-euicc-data/1");
      }
      for (JsonNode chip : root.path("euiccs")) {
        byte[] der;
        try {
          der = Base64.getDecoder().decode(chip.path("data").asString("").strip());
        } catch (IllegalArgumentException e) {
          der = new byte[0]; // rejected as MALFORMED for this chip only
        }
        filed.add(
            new EuiccDataService.Filed(
                chip.path("eid").isString() ? chip.path("eid").asString() : null, der));
      }
    } else if (EuiccDataBatch.parse(file) instanceof BatchParseResult.Parsed parsed) {
      for (var record : parsed.records()) {
        filed.add(
            new EuiccDataService.Filed(
                null,
                record instanceof EuiccDataParseResult.Parsed p ? p.data().encode() : new byte[0]));
      }
    } else {
      throw new DomainException(
          KeymakerError.MALFORMED, "neither JSON eUICC data nor a DER eUICC data batch (E2)");
    }
    return euiccData.importAll(actor, filed);
  }

  List<ConsoleRepository.EumRange> eumRanges() {
    return views.eumRanges();
  }

  List<ConsoleRepository.BindBatch> batches() {
    return views.bindBatches(20);
  }

  UUID startBatch(String actor, String pool, List<String> eids) {
    UUID batch = bindings.plan(actor, pool, eids, null);
    runner.wakeUp();
    return batch;
  }

  /** A batch's progress as the page and its event stream show it. */
  record BatchProgress(
      UUID batchId,
      int total,
      long planned,
      long bound,
      long delivered,
      long installed,
      long failed,
      long abandoned,
      long unreported,
      double percentBound,
      double percentDone,
      long at) {}

  BatchProgress progress(UUID batchId) {
    BindingService.Progress p = bindings.progress(batchId);
    Map<String, Long> s = p.states();
    long installed = s.get("INSTALLED");
    long failed = s.get("FAILED");
    // Done: every planned profile is installed or failed for good (no re-binding left).
    long ended = installed + views.failedForGood(batchId);
    double done = p.total() == 0 ? 100.0 : Math.min(100.0, 100.0 * ended / p.total());
    return new BatchProgress(
        batchId,
        p.total(),
        s.get("PLANNED") + s.get("RESERVED"),
        s.get("BOUND"),
        p.delivered(),
        installed,
        failed,
        s.get("ABANDONED"),
        views.unreported(batchId),
        p.percentBound(),
        done,
        Instant.now().toEpochMilli());
  }

  List<ConsoleRepository.Open> reconciliation(UUID batchId) {
    return views.reconciliation(batchId, 200);
  }

  boolean rebind(String actor, String transactionId) {
    return rebinder.abandon(Ids.transactionId(transactionId), actor);
  }

  AuditLog.Head auditHead() {
    return audit.head();
  }

  AuditLog.Verification verifyAudit() {
    return audit.verify();
  }

  List<ConsoleRepository.Entry> auditEntries(Optional<String> action) {
    return views.audit(action, 100);
  }

  List<String> auditActions() {
    return views.auditActions();
  }

  /** One line of the health page. */
  record Check(String name, String status, Map<String, Object> details, long millis) {}

  List<Check> health() {
    List<Check> checks = new ArrayList<>();
    checks.add(check("Database", db));
    checks.add(check("HSM (signature + key-encryption key round trip)", hsm));
    ConsoleRepository.Backlog backlog = views.deliveryBacklog();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("pending packages", backlog.pending());
    details.put("oldest pending since", backlog.oldest() == null ? "-" : backlog.oldest());
    checks.add(new Check("Broker delivery backlog", "UP", details, 0));
    return checks;
  }

  private static Check check(String name, HealthIndicator indicator) {
    long start = System.nanoTime();
    Health h = indicator.health();
    long millis = (System.nanoTime() - start) / 1_000_000;
    return new Check(
        name,
        h == null ? "UNKNOWN" : h.getStatus().getCode(),
        h == null ? Map.of() : h.getDetails(),
        millis);
  }
}
