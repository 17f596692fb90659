package org.ifpp.broker.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;

/**
 * Test material: structurally valid bound packages around random opaque bytes (the broker cannot
 * tell them from real ones, which is the point), EIDs, and the public SGP.26 test binding
 * certificate.
 */
public final class TestPackages {

  private TestPackages() {}

  public static Path shared() {
    return Path.of(System.getProperty("ifpp.shared.dir", "../../shared"));
  }

  public static byte[] bindingCertificate() {
    try {
      return Files.readAllBytes(
          shared().resolve("vectors/sgp26-certs/CERT_S_SM_DPpb_ECDSA_NIST.der"));
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

  /** A structurally valid signed result (BF37 { BF27 { 80 tx ... }, 5F37 sig }). */
  public static byte[] installationResult(TransactionId tx, Random random) {
    byte[] sig = new byte[64];
    random.nextBytes(sig);
    byte[] data =
        tlv(
            "BF27",
            concat(tlv("80", tx.toBytes()), tlv("A2", tlv("A0", tlv("4F", new byte[] {1})))));
    return tlv("BF37", concat(data, tlv("5F37", sig)));
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
