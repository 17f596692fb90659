package org.ifpp.crypto.pki;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.signing.Signer;
import org.ifpp.crypto.signing.SigningException;

/**
 * A test-scope {@link Signer} over a JCA private key (BouncyCastle, so brainpool works), converting
 * the DER signature to raw {@code r||s}. Deliberately independent of the engine's SoftwareSigner.
 */
public final class JcaTestSigner implements Signer {

  private static final Provider BC = new BouncyCastleProvider();

  private final PrivateKey key;
  private final Curve curve;

  public JcaTestSigner(PrivateKey key, Curve curve) {
    this.key = key;
    this.curve = curve;
  }

  public static JcaTestSigner of(DevelopmentCredential credential) {
    return new JcaTestSigner(credential.privateKey(), credential.publicKey().curve());
  }

  @Override
  public Curve curve() {
    return curve;
  }

  @Override
  public byte[] sign(byte[] message) {
    try {
      Signature signature = Signature.getInstance("SHA256withECDSA", BC);
      signature.initSign(key);
      signature.update(message);
      ASN1Sequence der = ASN1Sequence.getInstance(signature.sign());
      byte[] out = new byte[64];
      fixed(ASN1Integer.getInstance(der.getObjectAt(0)).getPositiveValue().toByteArray(), out, 0);
      fixed(ASN1Integer.getInstance(der.getObjectAt(1)).getPositiveValue().toByteArray(), out, 32);
      return out;
    } catch (GeneralSecurityException e) {
      throw new SigningException("test signing failed", e);
    }
  }

  private static void fixed(byte[] v, byte[] out, int offset) {
    byte[] trimmed = v.length > 32 ? Arrays.copyOfRange(v, v.length - 32, v.length) : v;
    System.arraycopy(trimmed, 0, out, offset + 32 - trimmed.length, trimmed.length);
  }
}
