package org.ifpp.crypto.bpp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvException;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;
import org.ifpp.crypto.tlv.TlvWriter;

/**
 * StoreMetadataRequest ({@code BF25}, SGP.22 sections 2.5.5 and 5.5.3), carried MAC-only in A1.
 * Either given as DER (kept byte for byte), or built minimally: {@code 5A iccid} (EF.ICCID
 * nibble-swapped form), {@code 91 serviceProviderName}, {@code 92 profileName}, the mandatory
 * fields of the SGP.22 ASN.1.
 */
public final class StoreMetadataRequest {

  public static final int TAG = 0xBF25;

  private final byte[] der;
  private final Iccid iccid;

  private StoreMetadataRequest(byte[] der, Iccid iccid) {
    this.der = der;
    this.iccid = iccid;
  }

  /** The minimal metadata for a profile: ICCID, service provider name, profile name. */
  public static StoreMetadataRequest minimal(
      Iccid iccid, String serviceProviderName, String profileName) {
    Objects.requireNonNull(iccid, "iccid");
    byte[] der =
        TlvWriter.encodeConstructed(
            TAG,
            TlvWriter.encode(0x5A, iccid.toBytes()),
            TlvWriter.encode(0x91, utf8(serviceProviderName)),
            TlvWriter.encode(0x92, utf8(profileName)));
    return new StoreMetadataRequest(der, iccid);
  }

  private static byte[] utf8(String s) {
    return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Accepts a DER {@code BF25} as is.
   *
   * @throws ProfilePackageException unless it is one BF25 object holding a 10-byte ICCID (5A)
   */
  public static StoreMetadataRequest parse(byte[] der) throws ProfilePackageException {
    try {
      Tlv t = TlvReader.readSingle(der, TlvLimits.DEFAULT);
      if (t.tag() != TAG) {
        throw new ProfilePackageException(
            ProfilePackageException.Code.INVALID_STRUCTURE, "metadata is not BF25");
      }
      Tlv iccid =
          t.child(0x5A)
              .orElseThrow(
                  () ->
                      new ProfilePackageException(
                          ProfilePackageException.Code.INVALID_STRUCTURE, "metadata lacks 5A"));
      return new StoreMetadataRequest(t.encoded(), Iccid.fromBytes(iccid.value()));
    } catch (TlvException e) {
      throw new ProfilePackageException(
          ProfilePackageException.Code.MALFORMED_TLV, "metadata: " + e.code(), e);
    } catch (IllegalArgumentException e) {
      throw new ProfilePackageException(
          ProfilePackageException.Code.INVALID_VALUE, "metadata ICCID: " + e.getMessage(), e);
    }
  }

  /** The ICCID the metadata announces (tag 5A). */
  public Iccid iccid() {
    return iccid;
  }

  public byte[] encode() {
    return der.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoreMetadataRequest other && Arrays.equals(der, other.der);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(der);
  }

  @Override
  public String toString() {
    return "StoreMetadataRequest[iccid=" + iccid + "]";
  }
}
