package org.ifpp.euicc.manufacturing.internal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.euicc.chip.OneTimeKeySlot;
import org.ifpp.euicc.credentials.Providers;

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

  /** A fresh random one-time key slot (GENS07: random, made at manufacturing). */
  public static OneTimeKeySlot oneTimeKey(int index, Curve curve, SecureRandom random) {
    return OneTimeKeySlot.unused(index, OneTimeKeyPair.generate(curve, random));
  }
}
