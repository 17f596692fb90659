package org.ifpp.broker.console;

import org.ifpp.broker.batches.PurgeResponse;
import org.ifpp.web.DomainException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The factory supervisor's console (login, session and CSRF from service-console): per line claims,
 * installs and failures per minute, leases held, the latest failures; per batch the packages
 * available, claimed and reported; purge with confirmation. Nothing of a package's content: the
 * broker only ever holds ciphertext it cannot open.
 */
@Controller
@RequestMapping("/console")
class ConsoleController {

  private final BrokerConsole console;
  private final LineStreams streams;

  ConsoleController(BrokerConsole console, LineStreams streams) {
    this.console = console;
    this.streams = streams;
  }

  @GetMapping
  String lines(Model model) {
    model.addAttribute("page", "lines");
    model.addAttribute("snapshot", console.snapshot());
    model.addAttribute("failures", console.lastFailures());
    return "console/broker/lines";
  }

  @GetMapping(path = "/lines/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @ResponseBody
  SseEmitter events() {
    return streams.open();
  }

  @GetMapping("/batches")
  String batches(Model model) {
    model.addAttribute("page", "batches");
    model.addAttribute("batches", console.batches());
    return "console/broker/batches";
  }

  @PostMapping("/batches/purge")
  String purge(@RequestParam String batchId, RedirectAttributes flash) {
    try {
      PurgeResponse r = console.purge(batchId);
      flash.addFlashAttribute(
          "ok",
          "Batch "
              + r.batchId()
              + ": "
              + r.purged()
              + " unclaimed package(s) purged, "
              + r.stillClaimed()
              + " still claimed");
    } catch (DomainException e) {
      flash.addFlashAttribute("error", "Refused (" + e.code() + "): " + e.getMessage());
    }
    return "redirect:/console/batches";
  }
}
