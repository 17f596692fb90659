package org.ifpp.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.ifpp.crypto.tls.DevelopmentTlsPki;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ifpp pki}: the development TLS PKI of a demo, the tests or the compose stack, in one
 * command (docs/operations.md, "TLS").
 */
@Command(
    name = "pki",
    mixinStandardHelpOptions = true,
    description = {
      "Create a development TLS PKI: a CA (its key is not kept), a server certificate per service"
          + " (SANs: its names, localhost, 127.0.0.1, ::1) and a client certificate per broker"
          + " client (the Key Maker and each line; subject CN = the broker client name).",
      "Writes DIR/ca.crt, DIR/server/NAME.{crt,key}, DIR/client/NAME.{crt,key}, all mode 0600.",
      "Development only: a factory's site CA issues these in production."
    })
final class PkiCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-o", "--out"},
      required = true,
      description = "output directory (created; existing files are replaced)")
  Path out;

  @Option(
      names = "--lines-file",
      description =
          "a NAME=SECRET file (the lines' broker credentials): a client certificate per NAME; only the names are read")
  Path linesFile;

  @Option(names = "--client", description = "a further client certificate (repeat)")
  List<String> clients = new ArrayList<>();

  @Option(
      names = "--no-keymaker-client",
      description = "no client certificate for the Key Maker (made by default)")
  boolean noKeyMakerClient;

  @Option(names = "--days", defaultValue = "30", description = "validity of every certificate")
  int days;

  @Override
  public Integer call() {
    if (days < 1 || days > 3650) {
      throw new CliException("--days: 1 to 3650");
    }
    Set<String> names = new LinkedHashSet<>();
    if (!noKeyMakerClient) {
      names.add("keymaker");
    }
    if (linesFile != null) {
      names.addAll(lineNames(linesFile));
    }
    names.addAll(clients);
    Instant now = Instant.now();
    // An hour back: a clock a little behind on another host still accepts the certificates.
    Instant notBefore = now.minus(Duration.ofHours(1));
    Instant notAfter = now.plus(Duration.ofDays(days));
    try {
      Files.createDirectories(out);
      DevelopmentTlsPki.create("IFPP development TLS CA", notBefore, notAfter)
          .writeLayout(
              out, DevelopmentTlsPki.DEFAULT_SERVERS, List.copyOf(names), notBefore, notAfter);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      throw new CliException("cannot write the PKI to " + out + ": " + e.getMessage());
    }
    spec.commandLine()
        .getOut()
        .printf(
            "development TLS PKI in %s: ca.crt; servers %s; clients %s (valid %d days)%n",
            out,
            DevelopmentTlsPki.DEFAULT_SERVERS.stream().map(DevelopmentTlsPki.Server::name).toList(),
            names,
            days);
    return 0;
  }

  /** The names of a NAME=SECRET file; the secrets are not kept. */
  private static List<String> lineNames(Path file) {
    List<String> names = new ArrayList<>();
    for (String l :
        new String(Io.read(file, "lines file"), java.nio.charset.StandardCharsets.UTF_8)
            .split("\n")) {
      String s = l.strip();
      if (s.isEmpty() || s.startsWith("#")) {
        continue;
      }
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new CliException("lines file: NAME=SECRET expected on every line");
      }
      names.add(s.substring(0, eq));
    }
    return names;
  }
}
