package org.ifpp.crypto.bpp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvException;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;
import org.ifpp.crypto.tlv.TlvWriter;

/**
 * A Bound Profile Package (SGP.22 section 2.5.4, IFPP.md section 5): {@code BF36 { BF23, A0 {87..},
 * A1 {88..}, [A2 {87}], A3 {86..} }}. The encoder writes the SGP.22 flat form (each segment
 * directly inside its A-element). The parser also accepts the nested form of pySim's encoder (each
 * element's content is a complete segment TLV) and reports which {@link Form} it found; segments
 * are exposed in the flat form either way.
 *
 * <p>Parsing checks structure only; MACs and decryption are the opener's business.
 */
public final class BoundProfilePackage {

  public static final int TAG = 0xBF36;

  /** How segments sit inside A0-A3. */
  public enum Form {
    /** SGP.22 and lpac: {@code A0 1A 87 18 ...}. */
    FLAT,
    /** pySim's encoder: {@code A0 1C 87 1A 87 18 ...}. */
    NESTED
  }

  private final byte[] encoded;
  private final Form form;
  private final InitialiseSecureChannelRequest initialiseSecureChannel;
  private final List<Tlv> configureIsdp;
  private final List<Tlv> storeMetadata;
  private final List<Tlv> replaceSessionKeys;
  private final List<Tlv> profileElements;

  private BoundProfilePackage(
      byte[] encoded,
      Form form,
      InitialiseSecureChannelRequest isc,
      List<Tlv> a0,
      List<Tlv> a1,
      List<Tlv> a2,
      List<Tlv> a3) {
    this.encoded = encoded;
    this.form = form;
    this.initialiseSecureChannel = isc;
    this.configureIsdp = Collections.unmodifiableList(a0);
    this.storeMetadata = Collections.unmodifiableList(a1);
    this.replaceSessionKeys = Collections.unmodifiableList(a2);
    this.profileElements = Collections.unmodifiableList(a3);
  }

  /** Assembles the flat form from encoded parts (the builder's path; A3 is already encoded). */
  static BoundProfilePackage assemble(
      InitialiseSecureChannelRequest isc,
      List<byte[]> a0,
      List<byte[]> a1,
      byte[] a2Segment,
      byte[] a3Encoded) {
    return assemble(isc, a0, a1, a2Segment, a3Encoded, true);
  }

  /**
   * As {@link #assemble(InitialiseSecureChannelRequest, List, List, byte[], byte[])}; with {@code
   * selfCheck} false the assembled encoding is not parsed back as a whole (the BF23 object is
   * reused and each part is read on its own). The encoding is the same either way.
   */
  static BoundProfilePackage assemble(
      InitialiseSecureChannelRequest isc,
      List<byte[]> a0,
      List<byte[]> a1,
      byte[] a2Segment,
      byte[] a3Encoded,
      boolean selfCheck) {
    byte[] a2 = a2Segment == null ? new byte[0] : TlvWriter.encode(0xA2, a2Segment);
    byte[] bytes =
        TlvWriter.encodeConstructed(
            TAG,
            isc.encode(),
            TlvWriter.encodeConstructed(0xA0, a0.toArray(new byte[0][])),
            TlvWriter.encodeConstructed(0xA1, a1.toArray(new byte[0][])),
            a2,
            a3Encoded);
    if (!selfCheck) {
      return new BoundProfilePackage(
          bytes,
          Form.FLAT,
          isc,
          readEach(a0),
          readEach(a1),
          a2Segment == null ? List.of() : readEach(List.of(a2Segment)),
          TlvReader.readSingle(a3Encoded, TlvLimits.DEFAULT).children());
    }
    try {
      return parseOwned(bytes);
    } catch (ProfilePackageException e) {
      throw new IllegalStateException("assembled package does not parse", e);
    }
  }

  private static List<Tlv> readEach(List<byte[]> encodedSegments) {
    List<Tlv> out = new ArrayList<>(encodedSegments.size());
    for (byte[] e : encodedSegments) {
      out.add(TlvReader.readSingle(e, TlvLimits.DEFAULT));
    }
    return out;
  }

  /**
   * Parses a {@code BF36} package (flat or nested form).
   *
   * @throws ProfilePackageException for any structural problem; never another exception
   */
  public static BoundProfilePackage parse(byte[] bytes) throws ProfilePackageException {
    return parseOwned(bytes == null ? null : bytes.clone());
  }

  /** {@link #parse} of an array nobody else holds: the package keeps it as its encoding. */
  private static BoundProfilePackage parseOwned(byte[] bytes) throws ProfilePackageException {
    try {
      Tlv root = TlvReader.readSingleOwned(bytes, TlvLimits.DEFAULT);
      if (root.tag() != TAG) {
        throw invalid("not a BoundProfilePackage (BF36)");
      }
      List<Tlv> parts = root.children();
      int n = parts.size();
      if (n != 4 && n != 5) {
        throw invalid("BF36 must hold BF23, A0, A1, [A2], A3");
      }
      int[] expected =
          n == 5
              ? new int[] {0xBF23, 0xA0, 0xA1, 0xA2, 0xA3}
              : new int[] {0xBF23, 0xA0, 0xA1, 0xA3};
      for (int i = 0; i < n; i++) {
        if (parts.get(i).tag() != expected[i]) {
          throw invalid("BF36 element " + i + " is " + parts.get(i).tagHex());
        }
      }
      InitialiseSecureChannelRequest isc = InitialiseSecureChannelRequest.parse(parts.get(0));
      Form form = detectForm(parts.get(1));
      List<Tlv> a0 = segments(parts.get(1), 0x87, form);
      List<Tlv> a1 = segments(parts.get(2), 0x88, form);
      List<Tlv> a2 = n == 5 ? segments(parts.get(3), 0x87, form) : List.of();
      List<Tlv> a3 = segments(parts.get(n - 1), 0x86, form);
      if (n == 5 && a2.size() != 1) {
        throw invalid("A2 must hold exactly one ReplaceSessionKeys segment");
      }
      return new BoundProfilePackage(bytes, form, isc, a0, a1, a2, a3);
    } catch (TlvException e) {
      throw new ProfilePackageException(
          ProfilePackageException.Code.MALFORMED_TLV, "BF36: " + e.code(), e);
    }
  }

  /** An encrypted flat segment's value is C||MAC8 with C whole blocks: length = 8 mod 16. */
  static Form detectForm(Tlv a0) throws ProfilePackageException {
    List<Tlv> c = a0.children();
    if (c.isEmpty()) {
      throw invalid("A0 is empty");
    }
    return c.get(0).valueLength() % 16 == 8 ? Form.FLAT : Form.NESTED;
  }

  static List<Tlv> segments(Tlv container, int tag, Form form) throws ProfilePackageException {
    List<Tlv> out = new ArrayList<>();
    String name = container.tagHex(); // once per container, not once per segment
    for (Tlv element : container.children()) {
      out.add(segment(element, tag, form, name));
    }
    if (out.isEmpty()) {
      throw invalid(name + " is empty");
    }
    return out;
  }

  /** One element of A0-A3 as its flat segment, checked as {@link #parse} checks it. */
  static Tlv segment(Tlv element, int tag, Form form, String container)
      throws ProfilePackageException {
    if (element.tag() != tag) {
      throw invalid(container + " holds " + element.tagHex());
    }
    Tlv segment = element;
    if (form == Form.NESTED) {
      List<Tlv> inner = element.children();
      if (inner.size() != 1 || inner.get(0).tag() != tag) {
        throw invalid("nested element does not hold one segment");
      }
      segment = inner.get(0);
    }
    if (segment.valueLength() < 8 || (tag != 0x88 && segment.valueLength() % 16 != 8)) {
      throw invalid(container + " holds a malformed segment");
    }
    return segment;
  }

  private static ProfilePackageException invalid(String message) {
    return new ProfilePackageException(ProfilePackageException.Code.INVALID_STRUCTURE, message);
  }

  /** The encoding: as received for a parsed package, the flat form for a built one. */
  public byte[] encode() {
    return encoded.clone();
  }

  public int size() {
    return encoded.length;
  }

  public Form form() {
    return form;
  }

  public InitialiseSecureChannelRequest initialiseSecureChannel() {
    return initialiseSecureChannel;
  }

  /** True if A2 (ReplaceSessionKeys) is present: the profile is protected with PPKs. */
  public boolean hasReplaceSessionKeys() {
    return !replaceSessionKeys.isEmpty();
  }

  /** The A0 segments (87), flat. */
  public List<Tlv> configureIsdpSegments() {
    return configureIsdp;
  }

  /** The A1 segments (88), flat. */
  public List<Tlv> storeMetadataSegments() {
    return storeMetadata;
  }

  /** The A2 segment (87), if any. */
  public Optional<Tlv> replaceSessionKeysSegment() {
    return replaceSessionKeys.stream().findFirst();
  }

  /** The A3 segments (86), flat. */
  public List<Tlv> profileElementSegments() {
    return profileElements;
  }

  /** Encoded sizes of the A3 segments, in order (for {@code inspect}). */
  public int[] profileSegmentSizes() {
    return profileElements.stream().mapToInt(Tlv::encodedLength).toArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BoundProfilePackage other && Arrays.equals(encoded, other.encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return "BoundProfilePackage["
        + form
        + ", "
        + encoded.length
        + " bytes, A0="
        + configureIsdp.size()
        + ", A1="
        + storeMetadata.size()
        + ", A2="
        + replaceSessionKeys.size()
        + ", A3="
        + profileElements.size()
        + "]";
  }
}
