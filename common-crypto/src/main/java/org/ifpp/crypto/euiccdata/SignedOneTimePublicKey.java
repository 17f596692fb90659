package org.ifpp.crypto.euiccdata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERTaggedObject;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.signing.EcdsaVerification;
import org.ifpp.crypto.signing.Signer;

/**
 * One one-time public key of an eUICC (otPK.EUICC, IFPP.md GENS07/12/14) with the eUICC's signature
 * that ties it to that chip (DPFF10). The signature is ECDSA-SHA256, raw {@code r||s}, by the eUICC
 * certificate's key over the canonical TBS of {@code docs/euicc-data-format.md}: {@code 5A 10 EID
 * || 02 L keyIndex || 06 L curve || 5F49 41 otPK}.
 */
public final class SignedOneTimePublicKey {

  /** keyIndex is an INTEGER in 0..65535: the eUICC's slot of the matching private key. */
  public static final int MAX_KEY_INDEX = 0xFFFF;

  private final int keyIndex;
  private final EcPublicKey publicKey;
  private final byte[] signature;

  private SignedOneTimePublicKey(int keyIndex, EcPublicKey publicKey, byte[] signature) {
    this.keyIndex = keyIndex;
    this.publicKey = publicKey;
    this.signature = signature;
  }

  /**
   * @throws IllegalArgumentException if keyIndex is outside 0..65535 or the signature is not 64
   *     bytes
   */
  public static SignedOneTimePublicKey of(int keyIndex, EcPublicKey publicKey, byte[] signature) {
    Objects.requireNonNull(publicKey, "publicKey");
    if (keyIndex < 0 || keyIndex > MAX_KEY_INDEX) {
      throw new IllegalArgumentException("keyIndex must be 0..65535");
    }
    if (signature == null || signature.length != 64) {
      throw new IllegalArgumentException("signature must be 64 bytes (r||s)");
    }
    return new SignedOneTimePublicKey(keyIndex, publicKey, signature.clone());
  }

  /** Signs a one-time public key as its eUICC does when the EUM exports eUICC data. */
  public static SignedOneTimePublicKey sign(
      Eid eid, int keyIndex, EcPublicKey publicKey, Signer euiccSigner) {
    return of(keyIndex, publicKey, euiccSigner.sign(tbs(eid, keyIndex, publicKey)));
  }

  /**
   * The bytes the eUICC signs: {@code 5A 10 EID || 02 L keyIndex || 06 L curve || 5F49 41 otPK}.
   */
  public static byte[] tbs(Eid eid, int keyIndex, EcPublicKey publicKey) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(96);
      out.write(
          new DERTaggedObject(false, BERTags.APPLICATION, 26, new DEROctetString(eid.toBytes()))
              .getEncoded(ASN1Encoding.DER));
      out.write(new ASN1Integer(keyIndex).getEncoded(ASN1Encoding.DER));
      out.write(new ASN1ObjectIdentifier(publicKey.curve().oid()).getEncoded(ASN1Encoding.DER));
      out.write(
          new DERTaggedObject(
                  false, BERTags.APPLICATION, 73, new DEROctetString(publicKey.toUncompressed()))
              .getEncoded(ASN1Encoding.DER));
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True only if the signature verifies under the eUICC's key for this EID. */
  public boolean verify(Eid eid, EcPublicKey euiccKey) {
    return EcdsaVerification.verifyRaw(euiccKey, tbs(eid, keyIndex, publicKey), signature);
  }

  public int keyIndex() {
    return keyIndex;
  }

  public EcPublicKey publicKey() {
    return publicKey;
  }

  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedOneTimePublicKey other
        && keyIndex == other.keyIndex
        && publicKey.equals(other.publicKey)
        && Arrays.equals(signature, other.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyIndex, publicKey, Arrays.hashCode(signature));
  }

  @Override
  public String toString() {
    return "SignedOneTimePublicKey[" + keyIndex + ", " + publicKey + "]";
  }
}
