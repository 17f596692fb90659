package org.ifpp.euicc.chip;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.signing.Signer;
import org.ifpp.crypto.signing.SoftwareSigner;

/**
 * The eUICC signing key of each chip as a {@link Signer} (for Profile Installation Results and
 * one-time key attestations), built once per chip from its PKCS#8 key and cached.
 */
public final class ChipSigners {

  private final ConcurrentMap<Eid, Signer> signers = new ConcurrentHashMap<>();
  private final SecureRandom random;

  public ChipSigners(SecureRandom random) {
    this.random = random;
  }

  public Signer of(Eid eid, ChipIdentity identity) {
    return signers.computeIfAbsent(eid, e -> create(identity));
  }

  private Signer create(ChipIdentity identity) {
    byte[] pkcs8 = identity.signingKeyPkcs8().toByteArray(SecretAccess.GRANTED);
    try {
      // The scalar straight from the PKCS#8 structure: a JCA KeyFactory round trip (curve-table
      // lookups, key object) cost more than the PIR signature itself, once per chip.
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(pkcs8);
      BigInteger d = ECPrivateKey.getInstance(info.parsePrivateKey()).getKey();
      byte[] scalar = fixed32(d);
      try (SecretBytes s = SecretBytes.adopt(scalar)) {
        return SoftwareSigner.fromScalar(identity.curve(), s, random);
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("chip signing key unreadable", e);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  private static byte[] fixed32(BigInteger v) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[32];
    int len = Math.min(b.length, 32);
    System.arraycopy(b, b.length - len, out, 32 - len, len);
    Arrays.fill(b, (byte) 0);
    return out;
  }
}
