package org.ifpp.cli;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.secret.SecretBytes;

/**
 * Reads EC private keys as security engineers have them: PEM as OpenSSL writes it (SEC1 {@code EC
 * PRIVATE KEY}, possibly after an {@code EC PARAMETERS} block, or PKCS#8 {@code PRIVATE KEY}), a
 * raw 32-byte scalar, or the scalar's 64 hex digits. The scalar is returned as {@link SecretBytes};
 * the file's text is wiped from the arrays this class owns.
 */
final class KeyFiles {

  /** A private scalar and, when the file names it, its curve. */
  record PrivateScalar(Optional<Curve> curve, SecretBytes scalar) implements AutoCloseable {
    Curve curveOr(Curve fallback) {
      return curve.orElse(fallback);
    }

    @Override
    public void close() {
      scalar.close();
    }
  }

  private KeyFiles() {}

  static PrivateScalar read(Path file) {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CliException("cannot read key file " + file + ": " + e.getMessage());
    }
    try {
      if (content.length == 32) {
        return new PrivateScalar(Optional.empty(), SecretBytes.copyOf(content));
      }
      String text = new String(content, StandardCharsets.US_ASCII).strip();
      if (text.startsWith("-----BEGIN")) {
        return fromPem(text, file);
      }
      String hex = text.replaceAll("\\s", "");
      if (hex.matches("[0-9a-fA-F]{64}")) {
        return new PrivateScalar(Optional.empty(), SecretBytes.adopt(HexFormat.of().parseHex(hex)));
      }
      throw new CliException(
          "key file " + file + " is neither PEM, a raw 32-byte scalar, nor 64 hex digits");
    } finally {
      Arrays.fill(content, (byte) 0);
    }
  }

  private static PrivateScalar fromPem(String pem, Path file) {
    ASN1ObjectIdentifier namedCurve = null;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof ASN1ObjectIdentifier oid) {
          namedCurve = oid;
        } else if (o instanceof PEMKeyPair pair) {
          return fromPrivateKeyInfo(pair.getPrivateKeyInfo(), namedCurve, file);
        } else if (o instanceof PrivateKeyInfo info) {
          return fromPrivateKeyInfo(info, namedCurve, file);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new CliException("key file " + file + " is not a readable EC private key PEM");
    }
    throw new CliException("key file " + file + " holds no EC private key");
  }

  private static PrivateScalar fromPrivateKeyInfo(
      PrivateKeyInfo info, ASN1ObjectIdentifier fallbackCurve, Path file) throws IOException {
    ASN1ObjectIdentifier curveOid = fallbackCurve;
    if (info.getPrivateKeyAlgorithm().getParameters() != null) {
      X962Parameters params =
          X962Parameters.getInstance(info.getPrivateKeyAlgorithm().getParameters());
      if (params.isNamedCurve()) {
        curveOid = ASN1ObjectIdentifier.getInstance(params.getParameters());
      }
    }
    if (curveOid == null) {
      throw new CliException("key file " + file + " does not name its curve");
    }
    Curve curve;
    try {
      curve = Curve.fromOid(curveOid.getId());
    } catch (IllegalArgumentException e) {
      throw new CliException("key file " + file + ": " + e.getMessage());
    }
    BigInteger d =
        org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey()).getKey();
    return new PrivateScalar(Optional.of(curve), SecretBytes.adopt(toFixed32(d)));
  }

  static byte[] toFixed32(BigInteger v) {
    byte[] b = v.toByteArray();
    if (b.length > 33 || (b.length == 33 && b[0] != 0)) {
      throw new CliException("private scalar is longer than 32 bytes");
    }
    byte[] out = new byte[32];
    int len = Math.min(b.length, 32);
    System.arraycopy(b, b.length - len, out, 32 - len, len);
    Arrays.fill(b, (byte) 0);
    return out;
  }
}
