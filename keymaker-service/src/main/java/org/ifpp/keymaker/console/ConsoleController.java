package org.ifpp.keymaker.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.ifpp.console.ConsoleSession;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.euiccs.EuiccDataService;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.web.DomainException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Key Maker's console pages (server-rendered, Thymeleaf): profiles and imports, eUICC data,
 * binding batches with live progress and reconciliation, the audit chain, health. Login, session
 * and CSRF come from service-console; every action goes through {@link KeymakerConsole}, and a
 * refusal shows the API's error code.
 */
@Controller
@RequestMapping("/console")
class ConsoleController {

  private final KeymakerConsole console;
  private final ProgressStreams streams;
  private final ConsoleSession session;

  ConsoleController(KeymakerConsole console, ProgressStreams streams, ConsoleSession session) {
    this.console = console;
    this.streams = streams;
    this.session = session;
  }

  @GetMapping
  String profiles(Model model) {
    model.addAttribute("page", "profiles");
    model.addAttribute("pools", console.profileCounts());
    model.addAttribute("imports", console.profileImports());
    return "console/keymaker/profiles";
  }

  @PostMapping("/profiles/import")
  String importProfiles(
      @RequestParam(defaultValue = "default") String pool,
      @RequestParam("files") List<MultipartFile> files,
      RedirectAttributes flash) {
    List<byte[]> ders = new ArrayList<>();
    for (MultipartFile f : files) {
      if (!f.isEmpty()) {
        ders.add(ConsoleForms.bytes(f));
      }
    }
    try {
      int n = console.importProfiles(session.actor(), pool.strip(), ders);
      flash.addFlashAttribute("ok", "Imported " + n + " profile(s) into pool " + pool.strip());
    } catch (DomainException e) {
      flash.addFlashAttribute("error", ConsoleForms.refusal(e));
    }
    return "redirect:/console";
  }

  @GetMapping("/euiccs")
  String euiccs(Model model) {
    model.addAttribute("page", "euiccs");
    model.addAttribute("ranges", console.eumRanges());
    model.addAttribute("imports", console.euiccImports());
    return "console/keymaker/euiccs";
  }

  @PostMapping("/euiccs/import")
  String importEuiccs(@RequestParam("file") MultipartFile file, RedirectAttributes flash) {
    try {
      EuiccDataService.ImportResult r =
          console.importEuiccData(session.actor(), ConsoleForms.bytes(file));
      flash.addFlashAttribute(
          "ok", "eUICC data: " + r.accepted() + " accepted, " + r.rejected() + " rejected");
      flash.addFlashAttribute(
          "rejected",
          r.results().stream().filter(c -> "REJECTED".equals(c.status())).limit(100).toList());
    } catch (DomainException e) {
      flash.addFlashAttribute("error", ConsoleForms.refusal(e));
    }
    return "redirect:/console/euiccs";
  }

  @GetMapping("/batches")
  String batches(Model model) {
    model.addAttribute("page", "batches");
    model.addAttribute("batches", console.batches());
    model.addAttribute("pools", console.profileCounts().keySet());
    return "console/keymaker/batches";
  }

  @PostMapping("/batches")
  String startBatch(
      @RequestParam(defaultValue = "default") String pool,
      @RequestParam(defaultValue = "") String eids,
      @RequestParam(name = "eidFile", required = false) MultipartFile eidFile,
      RedirectAttributes flash) {
    List<String> list = ConsoleForms.eids(eids, eidFile);
    try {
      if (list.isEmpty()) {
        throw new DomainException(KeymakerError.INVALID_BINDING_REQUEST, "no EID given");
      }
      UUID batch = console.startBatch(session.actor(), pool.strip(), list);
      flash.addFlashAttribute("ok", "Batch started: " + list.size() + " binding(s)");
      return "redirect:/console/batches/" + batch;
    } catch (DomainException e) {
      flash.addFlashAttribute("error", ConsoleForms.refusal(e));
      return "redirect:/console/batches";
    }
  }

  @GetMapping("/batches/{id}")
  String batch(@PathVariable String id, Model model) {
    UUID batch = batchId(id);
    model.addAttribute("page", "batches");
    model.addAttribute("progress", console.progress(batch));
    model.addAttribute("open", console.reconciliation(batch));
    return "console/keymaker/batch";
  }

  @GetMapping(path = "/batches/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @ResponseBody
  SseEmitter events(@PathVariable String id) {
    return streams.open(batchId(id));
  }

  /** Re-bind an unreported binding: abandon it, its profile goes to another key of the chip. */
  @PostMapping("/batches/{id}/rebind")
  String rebind(
      @PathVariable String id, @RequestParam String transactionId, RedirectAttributes flash) {
    UUID batch = batchId(id);
    ConsoleForms.abandon(
        flash, transactionId, () -> console.rebind(session.actor(), transactionId));
    return "redirect:/console/batches/" + batch;
  }

  @GetMapping("/audit")
  String audit(@RequestParam(required = false) String action, Model model) {
    Optional<String> filter = Optional.ofNullable(action).filter(a -> !a.isBlank());
    AuditLog.Head head = console.auditHead();
    model.addAttribute("page", "audit");
    model.addAttribute("length", head.seq());
    model.addAttribute("head", java.util.HexFormat.of().formatHex(head.hash()));
    model.addAttribute("actions", console.auditActions());
    model.addAttribute("action", filter.orElse(""));
    model.addAttribute("entries", console.auditEntries(filter));
    return "console/keymaker/audit";
  }

  @PostMapping("/audit/verify")
  String verify(RedirectAttributes flash) {
    AuditLog.Verification v = console.verifyAudit();
    if (v.intact()) {
      flash.addFlashAttribute("ok", "Audit chain intact: " + v.records() + " records verified");
    } else {
      flash.addFlashAttribute(
          "error", "Audit chain BROKEN at record " + v.firstBadSeq() + ": " + v.problem());
    }
    return "redirect:/console/audit";
  }

  @GetMapping("/health")
  String health(Model model) {
    model.addAttribute("page", "health");
    model.addAttribute("checks", console.health());
    return "console/keymaker/health";
  }

  private static UUID batchId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new DomainException(KeymakerError.INVALID_BATCH_ID, "batch ids are UUIDs");
    }
  }
}
