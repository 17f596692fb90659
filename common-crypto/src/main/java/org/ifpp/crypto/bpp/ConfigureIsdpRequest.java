package org.ifpp.crypto.bpp;

import java.util.Arrays;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvException;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;

/**
 * ConfigureISDPRequest ({@code BF24}, SGP.22 section 5.5.2), carried encrypted in A0. The default
 * is the empty request {@code BF24 00}.
 */
public final class ConfigureIsdpRequest {

  public static final int TAG = 0xBF24;

  private static final ConfigureIsdpRequest EMPTY =
      new ConfigureIsdpRequest(new byte[] {(byte) 0xBF, 0x24, 0x00});

  private final byte[] der;

  private ConfigureIsdpRequest(byte[] der) {
    this.der = der;
  }

  /** {@code BF24 00}. */
  public static ConfigureIsdpRequest empty() {
    return EMPTY;
  }

  /**
   * Accepts a DER {@code BF24} as is.
   *
   * @throws ProfilePackageException unless it is exactly one well-formed BF24 object
   */
  public static ConfigureIsdpRequest parse(byte[] der) throws ProfilePackageException {
    try {
      Tlv t = TlvReader.readSingle(der, TlvLimits.DEFAULT);
      if (t.tag() != TAG) {
        throw new ProfilePackageException(
            ProfilePackageException.Code.INVALID_STRUCTURE, "not BF24");
      }
      t.children();
      return new ConfigureIsdpRequest(t.encoded());
    } catch (TlvException e) {
      throw new ProfilePackageException(
          ProfilePackageException.Code.MALFORMED_TLV, "ConfigureISDPRequest: " + e.code(), e);
    }
  }

  public byte[] encode() {
    return der.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigureIsdpRequest other && Arrays.equals(der, other.der);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(der);
  }

  @Override
  public String toString() {
    return "ConfigureIsdpRequest[" + der.length + " bytes]";
  }
}
