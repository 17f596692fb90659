package org.ifpp.cli;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ifpp keygen}: writes an EC key pair as PKCS#8 PEM and the uncompressed public key. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = "Generate a key pair: PREFIX.key.pem (PKCS#8) and PREFIX.pub.hex (04||X||Y).")
final class KeygenCommand implements Callable<Integer> {

  @Option(names = "--curve", defaultValue = "p256", description = "p256 or brainpoolp256r1")
  String curveName;

  @Option(
      names = {"-o", "--output"},
      required = true,
      description = "output prefix")
  String prefix;

  @Override
  public Integer call() throws IOException {
    Curve curve = BindCommand.parseCurve(curveName);
    try (OneTimeKeyPair pair = OneTimeKeyPair.generate(curve, new SecureRandom());
        SecretBytes scalar = pair.exportPrivateScalar(SecretAccess.GRANTED)) {
      byte[] publicPoint = pair.publicKey().toUncompressed();
      byte[] pkcs8 = pkcs8(curve, scalar, publicPoint);
      StringWriter pem = new StringWriter();
      try (PemWriter writer = new PemWriter(pem)) {
        writer.writeObject(new PemObject("PRIVATE KEY", pkcs8));
      }
      java.util.Arrays.fill(pkcs8, (byte) 0);
      Io.writeAtomically(
          Path.of(prefix + ".key.pem"), pem.toString().getBytes(StandardCharsets.US_ASCII));
      Io.writeAtomically(
          Path.of(prefix + ".pub.hex"),
          (pair.publicKey().toHex() + "\n").getBytes(StandardCharsets.US_ASCII));
    }
    return 0;
  }

  private static byte[] pkcs8(Curve curve, SecretBytes scalar, byte[] publicPoint)
      throws IOException {
    ASN1ObjectIdentifier oid = new ASN1ObjectIdentifier(curve.oid());
    BigInteger d = new BigInteger(1, scalar.unsafeView(SecretAccess.GRANTED));
    org.bouncycastle.asn1.sec.ECPrivateKey sec1 =
        new org.bouncycastle.asn1.sec.ECPrivateKey(256, d, new DERBitString(publicPoint), null);
    return new PrivateKeyInfo(
            new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, new X962Parameters(oid)),
            sec1)
        .getEncoded();
  }
}
