package org.ifpp.euicc.manufacturing;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import org.ifpp.euicc.credentials.Providers;

/** Whether a private key belongs to a public key: sign a probe and verify it. */
final class KeyMatch {

  private KeyMatch() {}

  static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
    try {
      byte[] probe = "ifpp-key-match".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance("SHA256withECDSA", Providers.BC);
      s.initSign(privateKey);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance("SHA256withECDSA", Providers.BC);
      v.initVerify(publicKey);
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
