package org.ifpp.broker.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.pir.BppCommandId;
import org.ifpp.crypto.pir.ErrorReason;
import org.ifpp.crypto.pir.InstallationOutcome;
import org.ifpp.crypto.pir.ProfileInstallationResult;
import org.ifpp.crypto.signing.Signer;
import org.ifpp.crypto.signing.SoftwareSigner;

/**
 * Test material: structurally valid bound packages around random opaque bytes (the broker cannot
 * tell them from real ones, which is the point), EIDs, and the public SGP.26 test binding
 * certificate.
 */
public final class TestPackages {

  private TestPackages() {}

  public static Path testData() {
    return Path.of(System.getProperty("ifpp.test-data.dir", "../test-data"));
  }

  public static byte[] bindingCertificate() {
    try {
      return Files.readAllBytes(testData().resolve("sgp26-certs/CERT_S_SM_DPpb_ECDSA_NIST.der"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String bindingCertificateBase64() {
    return Base64.getEncoder().encodeToString(bindingCertificate());
  }

  public static Eid eid(Random random) {
    StringBuilder sb = new StringBuilder("8904");
    while (sb.length() < 30) {
      sb.append(random.nextInt(10));
    }
    return Eid.withCheckDigits(sb.toString());
  }

  public static TransactionId transactionId(Random random) {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return TransactionId.of(b);
  }

  /** A BF36 with a BF23 naming {@code tx} and {@code payloadSize} random bytes as segments. */
  public static byte[] boundPackage(TransactionId tx, int payloadSize, Random random) {
    byte[] otpk = new byte[65];
    random.nextBytes(otpk);
    otpk[0] = 0x04;
    byte[] sig = new byte[64];
    random.nextBytes(sig);
    byte[] isc =
        tlv(
            "BF23",
            concat(
                tlv("82", new byte[] {1}),
                tlv("80", tx.toBytes()),
                tlv(
                    "A6",
                    concat(
                        tlv("80", new byte[] {(byte) 0x88}),
                        tlv("81", new byte[] {0x10}),
                        tlv("84", new byte[] {0x01}))),
                tlv("5F49", otpk),
                tlv("5F37", sig)));
    byte[] payload = new byte[payloadSize];
    random.nextBytes(payload);
    return tlv(
        "BF36", concat(isc, tlv("A0", tlv("87", new byte[24])), tlv("A3", tlv("86", payload))));
  }

  private static volatile Signer euicc;

  /** The SGP.26 test eUICC's key: results are signed as a real chip would sign them. */
  private static Signer euiccSigner() {
    if (euicc == null) {
      try {
        euicc =
            SoftwareSigner.fromPem(
                Files.readString(testData().resolve("sgp26-certs/euicc-key.pem")),
                new SecureRandom());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return euicc;
  }

  /** A signed successful ProfileInstallationResult (BF37) for {@code tx}. */
  public static byte[] installationResult(TransactionId tx, Random random) {
    return installationResult(tx, true, random);
  }

  /** A signed ProfileInstallationResult (BF37) for {@code tx}, successful or not. */
  public static byte[] installationResult(TransactionId tx, boolean success, Random random) {
    InstallationOutcome outcome =
        success
            ? new InstallationOutcome.SuccessResult(
                HexFormat.of().parseHex("a0000005591010ffffffff8900001000"), new byte[0])
            : new InstallationOutcome.ErrorResult(
                BppCommandId.LOAD_PROFILE_ELEMENTS,
                ErrorReason.INSTALL_FAILED_DUE_TO_ICCID_ALREADY_EXISTS_ON_EUICC);
    ProfileInstallationResult pir =
        new ProfileInstallationResult(
            tx, random.nextInt(1_000_000), "keymaker.example", Optional.empty(), outcome);
    return pir.sign(euiccSigner()).encoded();
  }

  public static byte[] tlv(String tagHex, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(HexFormat.of().parseHex(tagHex));
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write(n >> 8);
      out.write(n);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  public static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
