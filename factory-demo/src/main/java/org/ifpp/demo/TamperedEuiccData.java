package org.ifpp.demo;

import java.util.ArrayList;
import java.util.List;
import org.ifpp.crypto.euiccdata.EuiccData;
import org.ifpp.crypto.euiccdata.EuiccDataParseResult;
import org.ifpp.crypto.euiccdata.SignedOneTimePublicKey;

/**
 * eUICC data a chip did not sign as it stands, for showing (the demo) and testing (its end-to-end
 * tests) that the Key Maker refuses it: still well-formed, so only the signature check catches it.
 */
public final class TamperedEuiccData {

  private TamperedEuiccData() {}

  /**
   * The record (DER) with one bit flipped in the eUICC signature of its one-time key number {@code
   * key} (from 0); its EUICCInfo2, if any, kept as signed.
   */
  public static byte[] withBrokenKeySignature(byte[] der, int key) {
    EuiccData d = ((EuiccDataParseResult.Parsed) EuiccData.parse(der)).data();
    List<SignedOneTimePublicKey> keys = new ArrayList<>(d.oneTimeKeys());
    SignedOneTimePublicKey k = keys.get(key);
    byte[] signature = k.signature();
    signature[5] ^= 0x01;
    keys.set(key, SignedOneTimePublicKey.of(k.keyIndex(), k.publicKey(), signature));
    EuiccData broken = EuiccData.of(d.eid(), d.euiccCertificate(), d.eumCertificate(), keys);
    if (d.euiccInfo2().isPresent()) {
      broken = broken.withEuiccInfo2(d.euiccInfo2().get(), d.euiccInfo2Signature().orElseThrow());
    }
    return broken.encode();
  }
}
