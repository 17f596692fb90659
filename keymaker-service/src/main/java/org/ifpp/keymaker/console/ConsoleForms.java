package org.ifpp.keymaker.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ifpp.web.DomainException;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** What the console's forms send and answer: EIDs, files, a refusal to show, an abandon. */
final class ConsoleForms {

  private ConsoleForms() {}

  /** The EIDs typed (one per line, or separated by spaces, commas or semicolons) and in a file. */
  static List<String> eids(String typed, MultipartFile file) {
    List<String> list = new ArrayList<>(split(typed == null ? "" : typed));
    if (file != null && !file.isEmpty()) {
      list.addAll(split(new String(bytes(file), StandardCharsets.US_ASCII)));
    }
    return list;
  }

  static List<String> split(String text) {
    return Arrays.stream(text.split("[\\s,;]+")).filter(s -> !s.isEmpty()).toList();
  }

  static byte[] bytes(MultipartFile f) {
    try {
      return f.getBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A refusal as the page shows it: the API's error code and its detail. */
  static String refusal(DomainException e) {
    return "Refused (" + e.code() + "): " + e.getMessage();
  }

  /**
   * Abandons the delivered binding a form names ({@code abandon} re-binds its profile when an
   * attempt is left) and flashes how it went, or the refusal.
   */
  static void abandon(
      RedirectAttributes flash, String transactionId, java.util.function.BooleanSupplier abandon) {
    try {
      boolean replanned = abandon.getAsBoolean();
      flash.addFlashAttribute(
          "ok",
          replanned
              ? "Abandoned " + transactionId + "; its profile is being re-bound"
              : "Abandoned " + transactionId + "; no attempt left, the profile failed");
    } catch (DomainException e) {
      flash.addFlashAttribute("error", refusal(e));
    }
  }
}
