package org.ifpp.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.pki.DevelopmentCredential;
import org.ifpp.crypto.pki.DevelopmentPki;
import org.ifpp.demo.DemoFlow.Attack;
import org.ifpp.line.chip.ChipClient;
import org.ifpp.line.finalise.DeviceMakerKey;
import org.ifpp.line.finalise.FinalisationRun;
import org.ifpp.line.http.HttpCallException;

/**
 * The demo's device maker (GENS13, DMF03/EUICCF03): a development P-256 key pair made for the run,
 * whose certificate every chip is given at manufacturing and whose private key the line's
 * finalisation step reads from a key file (owner-only, deleted right after it is read). Runs the
 * finalisation step and the two finalisation attacks: a command signed by another key, and the
 * replay of a command a chip already obeyed.
 */
final class DemoFinalisation {

  private final DevelopmentCredential deviceMaker;
  private final DevelopmentCredential stranger;
  private final Map<Eid, byte[]> sent = new ConcurrentHashMap<>();

  DemoFinalisation() {
    DevelopmentPki pki = new DevelopmentPki(Clock.systemUTC(), new SecureRandom());
    deviceMaker = pki.createDeviceMaker("IFPP Demo Device Maker");
    stranger = pki.createDeviceMaker("Not the device maker");
  }

  /** The certificate the EUM writes into each chip (base64 DER). */
  String certificateBase64() {
    return Base64.getEncoder().encodeToString(deviceMaker.certificateDer());
  }

  /** The line's finalisation step on {@code eids}: one signed command each, receipts collected. */
  FinalisationRun.Summary finalise(ChipClient chips, List<Eid> eids, int stations)
      throws InterruptedException {
    DeviceMakerKey key = read(deviceMaker);
    return new FinalisationRun(chips, key, stations, sent::put)
        .run(eids, System.currentTimeMillis());
  }

  /** A command for {@code eid} signed by a key the chip was never given: refused, nothing wiped. */
  Attack wrongKey(ChipClient chips, Eid eid) {
    byte[] command = read(stranger).command(eid, System.currentTimeMillis()).encoded();
    return refusedOrNot("finalisation signed by a wrong key", () -> chips.finalise(eid, command));
  }

  /** The command chip {@code eid} already obeyed, sent again: refused as a replay. */
  Attack replay(ChipClient chips, Eid eid) {
    byte[] command = sent.get(eid);
    if (command == null) {
      return new Attack("replayed finalisation command", false, "no command was captured");
    }
    return refusedOrNot("replayed finalisation command", () -> chips.finalise(eid, command));
  }

  private static Attack refusedOrNot(String name, Runnable send) {
    try {
      send.run();
      return new Attack(name, false, "the chip obeyed");
    } catch (HttpCallException e) {
      return new Attack(name, e.code() != null, "chip: " + e.code() + ", nothing changed");
    }
  }

  /** The key as the line's step gets it: from a key file, written owner-only, deleted after. */
  private static DeviceMakerKey read(DevelopmentCredential credential) {
    Path file = null;
    try {
      file =
          Files.createTempFile(
              "device-maker",
              ".pem",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      String pem =
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder().encodeToString(credential.privateKey().getEncoded())
              + "\n-----END PRIVATE KEY-----\n";
      Files.writeString(file, pem, StandardCharsets.US_ASCII);
      return DeviceMakerKey.read(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // best effort: a temporary file of a throwaway demo key, owner-only
        }
      }
    }
  }
}
