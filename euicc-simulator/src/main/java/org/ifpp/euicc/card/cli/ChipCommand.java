package org.ifpp.euicc.card.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.pki.BindingCertificateValidator;
import org.ifpp.crypto.pki.TrustAnchors;
import org.ifpp.euicc.card.ApduCard;
import org.ifpp.euicc.card.CardServices;
import org.ifpp.euicc.card.StdioCardServer;
import org.ifpp.euicc.card.VpcdClient;
import org.ifpp.euicc.chip.Chip;
import org.ifpp.euicc.chip.ChipSigners;
import org.ifpp.euicc.credentials.CertificateFiles;
import org.ifpp.euicc.loading.LoadService;
import org.ifpp.euicc.notifications.NotificationService;
import org.ifpp.euicc.profiles.ProfileManagementService;
import org.ifpp.euicc.store.ChipRepository;
import org.ifpp.euicc.store.ChipStore;

/**
 * {@code ifpp chip}: lists the chips of a simulator state directory, or plays one of them as a
 * smart card in a vpcd reader or over the stdio APDU protocol, on the state directory itself (so
 * what the card does, a load, a consumed key, an enabled profile, is what the simulator finds at
 * its next start). Not while a simulator runs on the same directory.
 *
 * <pre>
 * ifpp chip --state-dir DIR --list
 * ifpp chip --state-dir DIR --eid EID (--vpcd [HOST:]PORT | --stdio) [--trusted-ci FILE]...
 * </pre>
 */
public final class ChipCommand {

  static final String USAGE =
      "usage: ifpp chip --state-dir DIR (--list | --eid EID (--vpcd [HOST:]PORT | --stdio))"
          + " [--trusted-ci FILE]... [--notification-address ADDR]";

  private ChipCommand() {}

  public static void main(String[] args) {
    try {
      System.exit(run(ChipOptions.parse(args), System.in, System.out, System.err));
    } catch (IllegalArgumentException e) {
      System.err.println("ifpp chip: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
    } catch (RuntimeException | IOException e) {
      System.err.println("ifpp chip: " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * @param in the LPA's requests for {@code --stdio}
   */
  static int run(ChipOptions o, InputStream in, PrintStream out, PrintStream err)
      throws IOException {
    if (!Files.isDirectory(o.stateDir().resolve("chips"))) {
      throw new IllegalArgumentException("no simulator state in " + o.stateDir());
    }
    ChipRepository chips = new ChipRepository(new ChipStore(o.stateDir(), true));
    if (o.list()) {
      for (Eid eid : chips.eids()) {
        out.println(describe(chips.get(eid)));
      }
      return 0;
    }
    Eid eid = Eid.of(o.eid());
    if (!chips.exists(eid)) {
      throw new IllegalArgumentException("no chip " + eid + " in " + o.stateDir());
    }
    ApduCard card = new ApduCard(eid, services(o, chips));
    if (o.stdio()) {
      new StdioCardServer(card)
          .serve(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), out, err);
      return 0;
    }
    InetSocketAddress reader = o.vpcd();
    VpcdClient client = new VpcdClient(card, reader);
    Runtime.getRuntime().addShutdownHook(new Thread(client::stop));
    err.println("chip " + eid + " in the vpcd reader at " + reader + " (Ctrl-C to take it out)");
    // A reader restarts with pcscd: put the card back in until stopped.
    while (true) {
      try {
        long n = client.serve();
        err.println("reader closed the connection after " + n + " APDUs; reconnecting");
      } catch (IOException e) {
        err.println("vpcd at " + reader + ": " + e.getMessage() + "; retrying");
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      }
    }
  }

  /** {@code EID mode keys=N iccids=...}. */
  static String describe(Chip chip) {
    return chip.locked(
        () ->
            chip.eid().value()
                + "  "
                + (chip.ifppEnabled() ? "production" : "field")
                + "  one-time-keys="
                + chip.unusedKeyCount()
                + "  iccids="
                + (chip.profiles().isEmpty()
                    ? "-"
                    : chip.profiles().stream()
                        .map(p -> p.iccid().value() + (p.enabled() ? "(enabled)" : ""))
                        .collect(Collectors.joining(","))));
  }

  /** The simulator's services on this state directory, wired as the service wires them. */
  static CardServices services(ChipOptions o, ChipRepository chips) {
    List<X509Certificate> cis = new ArrayList<>();
    Path eumCi = o.stateDir().resolve("eum").resolve("ci.der");
    if (Files.isRegularFile(eumCi)) {
      cis.add(CertificateFiles.read(eumCi));
    }
    for (Path p : o.trustedCis()) {
      cis.add(CertificateFiles.read(p));
    }
    ChipSigners signers = new ChipSigners(new SecureRandom());
    LoadService loader =
        new LoadService(
            chips,
            // as the service: "valid" is what the chip can know (its manufacturing date), not now
            BindingCertificateValidator.withoutClock(TrustAnchors.of(cis)),
            signers,
            o.notificationAddress(),
            1 << 20,
            Clock.systemUTC());
    return new CardServices(
        chips,
        loader,
        new NotificationService(chips),
        new ProfileManagementService(chips),
        new org.ifpp.euicc.finalisation.FinalisationService(chips, signers),
        CardServices.subjectKeyIds(cis),
        CardServices.GSMA_ROOT_DS,
        1 << 20);
  }
}
