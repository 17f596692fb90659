package org.ifpp.line.finalise;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.finalisation.FinalisationCommand;
import org.ifpp.crypto.finalisation.SignedFinalisationCommand;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.signing.Signer;
import org.ifpp.crypto.signing.SoftwareSigner;

/**
 * The device maker's finalisation key, read from a key file (PEM, SEC1 or PKCS#8, EC P-256): never
 * from the command line, never logged ({@link #toString} is redacted). Signs one {@link
 * FinalisationCommand} per chip.
 */
public final class DeviceMakerKey {

  private final Signer signer;

  private DeviceMakerKey(Signer signer) {
    this.signer = signer;
  }

  /**
   * @throws IllegalArgumentException if the file holds no EC P-256 private key
   */
  public static DeviceMakerKey read(Path keyFile) throws IOException {
    String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
    SoftwareSigner signer;
    try {
      signer = SoftwareSigner.fromPem(pem, new SecureRandom());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the device-maker key file holds no EC private key");
    }
    if (signer.curve() != Curve.P256) {
      throw new IllegalArgumentException("the device-maker key must be on P-256");
    }
    return new DeviceMakerKey(signer);
  }

  /** The signed command (BF7A) that finalises chip {@code eid} with {@code counter}. */
  public SignedFinalisationCommand command(Eid eid, long counter) {
    return new FinalisationCommand(eid, counter).sign(signer);
  }

  @Override
  public String toString() {
    return "DeviceMakerKey[REDACTED]";
  }
}
