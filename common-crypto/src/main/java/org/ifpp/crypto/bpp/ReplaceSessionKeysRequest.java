package org.ifpp.crypto.bpp;

import java.util.Arrays;
import java.util.List;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvException;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;
import org.ifpp.crypto.tlv.TlvWriter;

/**
 * ReplaceSessionKeysRequest ({@code BF26}, SGP.22 section 5.5.4): {@code 80 10 initialMacChaining
 * Value, 81 10 ppkEnc, 82 10 ppkCmac}. Travels encrypted in A2; its plaintext is secret, so this
 * class only converts between the PPKs and transient byte arrays the caller wipes.
 */
final class ReplaceSessionKeysRequest {

  static final int TAG = 0xBF26;

  private ReplaceSessionKeysRequest() {}

  /** The plaintext {@code BF26}; the caller wipes it after encryption. */
  static byte[] encode(ProfileProtectionKeys ppks) {
    byte[] mcv = ppks.initialMacChainingValue().unsafeView(SecretAccess.GRANTED);
    byte[] enc = ppks.ppkEnc().unsafeView(SecretAccess.GRANTED);
    byte[] mac = ppks.ppkMac().unsafeView(SecretAccess.GRANTED);
    return TlvWriter.encode(
        TAG,
        TlvWriter.concat(
            TlvWriter.encode(0x80, mcv), TlvWriter.encode(0x81, enc), TlvWriter.encode(0x82, mac)));
  }

  /** Parses a decrypted {@code BF26}; wipes {@code plain}. */
  static ProfileProtectionKeys decode(byte[] plain) throws ProfilePackageException {
    try {
      Tlv t = TlvReader.readSingle(plain, TlvLimits.DEFAULT);
      List<Tlv> c = t.children();
      if (t.tag() != TAG
          || c.size() != 3
          || c.get(0).tag() != 0x80
          || c.get(1).tag() != 0x81
          || c.get(2).tag() != 0x82
          || c.get(0).valueLength() != 16
          || c.get(1).valueLength() != 16
          || c.get(2).valueLength() != 16) {
        throw new ProfilePackageException(
            ProfilePackageException.Code.INVALID_STRUCTURE,
            "BF26 must hold 80, 81, 82 of 16 bytes");
      }
      return ProfileProtectionKeys.restore(
          SecretBytes.adopt(c.get(1).value()),
          SecretBytes.adopt(c.get(2).value()),
          SecretBytes.adopt(c.get(0).value()));
    } catch (TlvException e) {
      throw new ProfilePackageException(
          ProfilePackageException.Code.MALFORMED_TLV, "BF26: " + e.code(), e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }
}
