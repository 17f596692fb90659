package org.ifpp.crypto.euiccdata;

import static org.bouncycastle.asn1.BERTags.CONTEXT_SPECIFIC;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.ifpp.crypto.internal.DerException;
import org.ifpp.crypto.internal.DerReader;

/**
 * A chip's capabilities as its ES10b.GetEUICCInfo answers them: SGP.22 v2.2.2 section 5.7.8 {@code
 * EUICCInfo2} (tag BF22), kept byte for byte (the eUICC signs these bytes in its eUICC data,
 * docs/euicc-data-format.md) with the fields an operator's eligibility rules read (DPFF09): the
 * SGP.22 version (svn), the UICC capabilities and the eUICC category. Immutable.
 *
 * <p>Parsing is strict DER and requires the mandatory fields up to {@code uiccCapability} in their
 * order; later fields are read where the rules need them ({@code euiccCategory}) and otherwise left
 * as they are (the type is extensible).
 */
public final class EuiccInfo2 {

  private final byte[] der;
  private final byte[] svn;
  private final Set<UiccCapability> capabilities;
  private final EuiccCategory category;

  private EuiccInfo2(
      byte[] der, byte[] svn, Set<UiccCapability> capabilities, EuiccCategory category) {
    this.der = der;
    this.svn = svn;
    this.capabilities = Collections.unmodifiableSet(capabilities);
    this.category = category;
  }

  /**
   * Parses a BF22 TLV.
   *
   * @throws IllegalArgumentException if it is not a DER EUICCInfo2
   */
  public static EuiccInfo2 parse(byte[] der) {
    try {
      return read(DerReader.parse(der, "EUICCInfo2"), der.clone());
    } catch (DerException e) {
      throw new IllegalArgumentException(e.detail());
    }
  }

  static EuiccInfo2 read(ASN1Encodable element, byte[] der) throws DerException {
    DerReader info = DerReader.taggedSequence(element, CONTEXT_SPECIFIC, 34, "EUICCInfo2");
    version(info.next(CONTEXT_SPECIFIC, 1, "profileVersion"), "profileVersion");
    byte[] svn = version(info.next(CONTEXT_SPECIFIC, 2, "svn"), "svn");
    version(info.next(CONTEXT_SPECIFIC, 3, "euiccFirmwareVer"), "euiccFirmwareVer");
    DerReader.implicitOctets(info.next(CONTEXT_SPECIFIC, 4, "extCardResource"), "extCardResource");
    Set<UiccCapability> capabilities = bits(info.next(CONTEXT_SPECIFIC, 5, "uiccCapability"));
    EuiccCategory category = null;
    while (!info.nextIs(CONTEXT_SPECIFIC, 11) && info.nextIs(ASN1TaggedObject.class)) {
      info.next("EUICCInfo2"); // ts102241Version .. euiccCiPKIdListForSigning
    }
    if (info.nextIs(CONTEXT_SPECIFIC, 11)) {
      int value =
          DerReader.implicitInteger(
                  info.next(CONTEXT_SPECIFIC, 11, "euiccCategory"), "euiccCategory")
              .intValueExact();
      category =
          EuiccCategory.of(value)
              .orElseThrow(
                  () -> new DerException(DerException.Kind.STRUCTURE, "euiccCategory: unknown"));
    }
    return new EuiccInfo2(der, svn, capabilities, category);
  }

  private static byte[] version(ASN1TaggedObject tagged, String what) throws DerException {
    byte[] v = DerReader.implicitOctets(tagged, what);
    if (v.length != 3) {
      throw new DerException(DerException.Kind.STRUCTURE, what + ": a VersionType is 3 bytes");
    }
    return v;
  }

  private static Set<UiccCapability> bits(ASN1TaggedObject tagged) throws DerException {
    ASN1BitString bits;
    try {
      bits = ASN1BitString.getInstance(tagged.getBaseUniversal(false, BERTags.BIT_STRING));
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new DerException(DerException.Kind.STRUCTURE, "uiccCapability: not a BIT STRING");
    }
    byte[] octets = bits.getBytes();
    Set<UiccCapability> out = EnumSet.noneOf(UiccCapability.class);
    for (UiccCapability c : UiccCapability.values()) {
      int b = c.bit();
      if (b / 8 < octets.length && (octets[b / 8] & (0x80 >>> (b % 8))) != 0) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * An EUICCInfo2 with the fields SGP.22 v2.2.2 makes mandatory (what a simulated chip or a test
   * answers): the given svn, capabilities and category, empty CI lists, version 0.0.0 elsewhere.
   */
  public static EuiccInfo2 of(
      byte[] svn, Set<UiccCapability> capabilities, Optional<EuiccCategory> category) {
    if (svn == null || svn.length != 3) {
      throw new IllegalArgumentException("svn is 3 bytes");
    }
    byte[] zero = {0, 0, 0};
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(implicit(1, new DEROctetString(new byte[] {2, 3, 0})));
    v.add(implicit(2, new DEROctetString(svn)));
    v.add(implicit(3, new DEROctetString(zero)));
    v.add(implicit(4, new DEROctetString(new byte[0])));
    v.add(implicit(5, namedBits(capabilities)));
    v.add(implicit(8, namedBits(Set.of())));
    v.add(new DERTaggedObject(false, CONTEXT_SPECIFIC, 9, new DERSequence()));
    v.add(new DERTaggedObject(false, CONTEXT_SPECIFIC, 10, new DERSequence()));
    category.ifPresent(c -> v.add(implicit(11, new ASN1Integer(c.value()))));
    v.add(new DEROctetString(zero));
    v.add(new DERUTF8String(""));
    try {
      return parse(
          new DERTaggedObject(false, CONTEXT_SPECIFIC, 34, new DERSequence(v))
              .getEncoded(ASN1Encoding.DER));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static DERTaggedObject implicit(int tag, ASN1Encodable value) {
    return new DERTaggedObject(false, CONTEXT_SPECIFIC, tag, value);
  }

  /** A DER named-bit BIT STRING: no trailing zero bits. */
  private static DERBitString namedBits(Set<? extends Enum<?>> set) {
    int highest = set.stream().mapToInt(Enum::ordinal).max().orElse(-1);
    if (highest < 0) {
      return new DERBitString(new byte[0], 0);
    }
    byte[] octets = new byte[highest / 8 + 1];
    set.forEach(e -> octets[e.ordinal() / 8] |= (byte) (0x80 >>> (e.ordinal() % 8)));
    return new DERBitString(octets, octets.length * 8 - 1 - highest);
  }

  /** The BF22 TLV as the chip answered it. */
  public byte[] encoded() {
    return der.clone();
  }

  /** The SGP.22 version the chip implements, e.g. {@code 2.2.2}. */
  public String svn() {
    return (svn[0] & 0xFF) + "." + (svn[1] & 0xFF) + "." + (svn[2] & 0xFF);
  }

  public Set<UiccCapability> uiccCapabilities() {
    return capabilities;
  }

  /** The eUICC category, if the chip states one. */
  public Optional<EuiccCategory> category() {
    return Optional.ofNullable(category);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EuiccInfo2 other && Arrays.equals(der, other.der);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(der);
  }

  @Override
  public String toString() {
    return "EuiccInfo2[svn " + svn() + ", " + capabilities + ", " + category + "]";
  }
}
