package org.ifpp.crypto.bpp;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvException;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;
import org.ifpp.crypto.tlv.TlvWriter;

/**
 * The identifier of the one-time key a Bound Profile Package is bound to: SGP.22's {@code
 * bppEuiccOtpk}, "otPK.EUICC.ECKA already used for binding the BPP", {@code [APPLICATION 73] OCTET
 * STRING} (tag {@code 5F49}), an OPTIONAL field of {@code SmdpSigned2} in ES10b.PrepareDownload
 * (SGP.22 v2.2+ and v3, section 5.7.5 and its ASN.1). SGP.22 puts it beside the package, not in
 * {@code BF36}; so does IFPP: it travels with the package (docs/bpp-format.md) and lets a chip pick
 * the named key directly instead of trying each unused one (IFPP.md section 6 step 5).
 *
 * <p>The value is the public key itself (65 bytes, {@code 04||X||Y}); it is public. It names a key,
 * it proves nothing: smdpSign still has to verify for that key, and a package whose signature
 * covers another key fails step 5 as before.
 */
public final class BppEuiccOtpk {

  /** {@code [APPLICATION 73]}, as for otPK.EUICC in EUICCSigned2 and otPK.DP in BF23. */
  public static final int TAG = 0x5F49;

  private final byte[] point;

  private BppEuiccOtpk(byte[] point) {
    this.point = point;
  }

  /** The identifier of {@code otPkEuicc}. */
  public static BppEuiccOtpk of(EcPublicKey otPkEuicc) {
    return new BppEuiccOtpk(Objects.requireNonNull(otPkEuicc, "otPkEuicc").toUncompressed());
  }

  /**
   * From the field's value: an uncompressed point. The curve is not checked here (the chip compares
   * it with its own keys, which are).
   *
   * @throws IllegalArgumentException unless 65 bytes starting {@code 04}
   */
  public static BppEuiccOtpk fromValue(byte[] point) {
    if (point == null || point.length != 65 || point[0] != 0x04) {
      throw new IllegalArgumentException(
          "bppEuiccOtpk must be a 65-byte uncompressed point (04||X||Y)");
    }
    return new BppEuiccOtpk(point.clone());
  }

  /** From the value as hex (how it travels in HTTP headers and JSON). */
  public static BppEuiccOtpk fromHex(String hex) {
    try {
      return fromValue(HexFormat.of().parseHex(Objects.requireNonNull(hex, "hex").strip()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bppEuiccOtpk: " + e.getMessage(), e);
    }
  }

  /**
   * From the data object {@code 5F49 41 04||X||Y}.
   *
   * @throws IllegalArgumentException if it is not exactly that
   */
  public static BppEuiccOtpk decode(byte[] dataObject) {
    Tlv tlv;
    try {
      tlv = TlvReader.readSingle(dataObject, TlvLimits.DEFAULT);
    } catch (TlvException e) {
      throw new IllegalArgumentException("bppEuiccOtpk is not one TLV: " + e.code(), e);
    }
    if (tlv.tag() != TAG) {
      throw new IllegalArgumentException("bppEuiccOtpk must have tag 5F49, not " + tlv.tagHex());
    }
    return fromValue(tlv.value());
  }

  /** The data object {@code 5F49 41 04||X||Y}. */
  public byte[] encode() {
    return TlvWriter.encode(TAG, point);
  }

  /** The value: the uncompressed point (a copy). */
  public byte[] value() {
    return point.clone();
  }

  public String toHex() {
    return HexFormat.of().withUpperCase().formatHex(point);
  }

  /** True if this names {@code key}. */
  public boolean names(EcPublicKey key) {
    return key.hasPoint(point);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BppEuiccOtpk other && Arrays.equals(point, other.point);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(point);
  }

  /** The first bytes of X only: enough to tell keys apart in a log line. */
  @Override
  public String toString() {
    return "BppEuiccOtpk[" + HexFormat.of().formatHex(point, 1, 9) + "..]";
  }
}
