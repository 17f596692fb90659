package org.ifpp.euicc.manufacturing.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.euicc.chip.OneTimeKeySlot;

/** Random EC key generation for chips (eUICC signing keys and one-time ECDH keys, GENS07). */
public final class EcKeys {

  private EcKeys() {}

  public static KeyPair generate(Curve curve, SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Providers.BC);
      g.initialize(new ECGenParameterSpec(curve.jcaName()), random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate EC key on " + curve, e);
    }
  }

  /** A fresh random one-time key slot; the private scalar goes straight into the slot. */
  public static OneTimeKeySlot oneTimeKey(int index, Curve curve, SecureRandom random) {
    KeyPair pair = generate(curve, random);
    byte[] scalar = fixed32(((ECPrivateKey) pair.getPrivate()).getS());
    return OneTimeKeySlot.unused(
        index, EcPublicKey.fromJca(pair.getPublic()), SecretBytes.adopt(scalar));
  }

  private static byte[] fixed32(BigInteger v) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[32];
    int len = Math.min(b.length, 32);
    System.arraycopy(b, b.length - len, out, 32 - len, len);
    java.util.Arrays.fill(b, (byte) 0);
    return out;
  }
}
