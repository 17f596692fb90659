package org.ifpp.crypto.bpp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ifpp.crypto.bsp.BspChannel;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvException;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;
import org.ifpp.crypto.tlv.TlvWriter;

/**
 * A Protected Profile Package (PPP, SGP.22 section 2.5.3): the profile cut into 1007-byte pieces,
 * each an encrypted-and-MACed {@code 86} segment under the {@link ProfileProtectionKeys}, with a
 * fresh block counter and MAC chain. This is what the Key Maker stores (IFPP.md section 4 step 2);
 * binding in PPK mode only copies these segments into A3.
 *
 * <p>Storage encoding ({@link #encode()}, ours, not on the SGP.22 wire): {@code 30 { 5A iccid
 * (EF.ICCID form), [92 profileName], A3 { 86 ... } }}.
 */
public final class ProtectedProfilePackage {

  static final int TAG_SEGMENT = 0x86;

  private final Iccid iccid;
  private final String profileName;
  private final List<byte[]> segments;
  private final byte[] a3;

  private ProtectedProfilePackage(Iccid iccid, String profileName, List<byte[]> segments) {
    this.iccid = iccid;
    this.profileName = profileName;
    this.segments = Collections.unmodifiableList(segments);
    this.a3 = TlvWriter.encode(0xA3, TlvWriter.concat(segments.toArray(new byte[0][])));
  }

  /**
   * Protects {@code upp} with {@code ppks}: counter from 1 and MCV = PPK initial MCV. Does not
   * close either argument.
   */
  public static ProtectedProfilePackage protect(
      UnprotectedProfilePackage upp, ProfileProtectionKeys ppks) {
    Objects.requireNonNull(upp, "upp");
    Objects.requireNonNull(ppks, "ppks");
    try (BspChannel channel = BspChannel.start(ppks.asKeySet())) {
      List<byte[]> segs = channel.encryptAndMacAll(TAG_SEGMENT, upp.view());
      return new ProtectedProfilePackage(upp.iccid(), upp.profileName().orElse(null), segs);
    }
  }

  /** Decodes the storage encoding of {@link #encode()}. */
  public static ProtectedProfilePackage decode(byte[] encoded) throws ProfilePackageException {
    try {
      Tlv root = TlvReader.readSingle(encoded, TlvLimits.DEFAULT);
      if (root.tag() != 0x30) {
        throw invalid("not a stored protected profile package");
      }
      Iccid iccid =
          Iccid.fromBytes(root.child(0x5A).orElseThrow(() -> invalid("no ICCID")).value());
      String name =
          root.child(0x92).map(t -> new String(t.value(), StandardCharsets.UTF_8)).orElse(null);
      Tlv a3 = root.child(0xA3).orElseThrow(() -> invalid("no A3"));
      List<byte[]> segs = new ArrayList<>();
      for (Tlv s : a3.children()) {
        int body = s.valueLength() - 8;
        if (s.tag() != TAG_SEGMENT || body < 16 || body % 16 != 0) {
          throw invalid("A3 holds a malformed segment");
        }
        segs.add(s.encoded());
      }
      if (segs.isEmpty()) {
        throw invalid("no segments");
      }
      return new ProtectedProfilePackage(iccid, name, segs);
    } catch (TlvException e) {
      throw new ProfilePackageException(
          ProfilePackageException.Code.MALFORMED_TLV, "stored package: " + e.code(), e);
    } catch (IllegalArgumentException e) {
      throw new ProfilePackageException(ProfilePackageException.Code.INVALID_VALUE, "bad ICCID", e);
    }
  }

  /**
   * Reads the ICCID, the profile name and the position of {@code A3} from a storage encoding (of
   * {@link #encode()}) without touching the segments: the PPK-mode binding fast path ({@link
   * BoundProfilePackageBuilder#buildHead()}) needs nothing else, and a bound package ends with the
   * last {@link StoredHead#a3Length()} bytes of {@code encoded}. The segments are not checked here;
   * the caller must hold an encoding it produced or checked with {@link #decode(byte[])}.
   */
  public static StoredHead readHead(byte[] encoded) throws ProfilePackageException {
    return readHead(encoded, encoded.length);
  }

  /**
   * As {@link #readHead(byte[])} from the first bytes of a storage encoding of {@code totalLength}
   * bytes (a database can hand out a prefix without the 12 KB of segments). The prefix must reach
   * at least the {@code A3} tag and length; otherwise this throws {@link ProfilePackageException}
   * and the caller reads the whole encoding.
   */
  public static StoredHead readHead(byte[] prefix, int totalLength) throws ProfilePackageException {
    byte[] encoded = prefix;
    if (prefix.length > totalLength) {
      throw invalid("prefix longer than the encoding");
    }
    try {
      int[] pos = {0};
      if (readTag(encoded, pos) != 0x30) {
        throw invalid("not a stored protected profile package");
      }
      int rootLength = readLength(encoded, pos);
      if (pos[0] + rootLength != totalLength) {
        throw invalid("stored package has trailing or missing bytes");
      }
      int tag = readTag(encoded, pos);
      if (tag != 0x5A) {
        throw invalid("no ICCID");
      }
      int len = readLength(encoded, pos);
      within(encoded, pos[0], len);
      Iccid iccid = Iccid.fromBytes(Arrays.copyOfRange(encoded, pos[0], pos[0] + len));
      pos[0] += len;
      int start = pos[0];
      tag = readTag(encoded, pos);
      String name = null;
      if (tag == 0x92) {
        len = readLength(encoded, pos);
        within(encoded, pos[0], len);
        name = new String(encoded, pos[0], len, StandardCharsets.UTF_8);
        pos[0] += len;
        start = pos[0];
        tag = readTag(encoded, pos);
      }
      if (tag != 0xA3) {
        throw invalid("no A3");
      }
      len = readLength(encoded, pos);
      if (len == 0 || pos[0] + len != totalLength) {
        throw invalid("A3 does not end the stored package");
      }
      return new StoredHead(iccid, name, totalLength - start);
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new ProfilePackageException(
          ProfilePackageException.Code.MALFORMED_TLV, "stored package: truncated", e);
    } catch (IllegalArgumentException e) {
      throw new ProfilePackageException(ProfilePackageException.Code.INVALID_VALUE, "bad ICCID", e);
    }
  }

  private static void within(byte[] b, int off, int len) {
    if (len > b.length - off) {
      throw new ArrayIndexOutOfBoundsException("truncated");
    }
  }

  /** One-byte tags only (the storage encoding uses no others). */
  private static int readTag(byte[] b, int[] pos) throws ProfilePackageException {
    int tag = b[pos[0]++] & 0xFF;
    if ((tag & 0x1F) == 0x1F) {
      throw invalid("unexpected multi-byte tag");
    }
    return tag;
  }

  /** A definite length of at most 3 bytes (the caller checks it against the encoding's end). */
  private static int readLength(byte[] b, int[] pos) throws ProfilePackageException {
    int first = b[pos[0]++] & 0xFF;
    if (first < 0x80) {
      return first;
    }
    int n = first & 0x7F;
    if (n == 0 || n > 3) {
      throw invalid("unsupported length form");
    }
    int len = 0;
    for (int i = 0; i < n; i++) {
      len = (len << 8) | (b[pos[0]++] & 0xFF);
    }
    return len;
  }

  /**
   * What a PPK-mode binding needs of a stored protected profile besides its {@code A3} bytes: the
   * ICCID and name (for the StoreMetadataRequest) and the encoded length of {@code A3}, which ends
   * the storage encoding.
   */
  public record StoredHead(Iccid iccid, String profileNameOrNull, int a3Length) {
    public Optional<String> profileName() {
      return Optional.ofNullable(profileNameOrNull);
    }
  }

  private static ProfilePackageException invalid(String message) {
    return new ProfilePackageException(ProfilePackageException.Code.INVALID_STRUCTURE, message);
  }

  /** The storage encoding. */
  public byte[] encode() {
    byte[] iccidTlv = TlvWriter.encode(0x5A, iccid.toBytes());
    byte[] nameTlv =
        profileName == null
            ? new byte[0]
            : TlvWriter.encode(0x92, profileName.getBytes(StandardCharsets.UTF_8));
    return TlvWriter.encodeConstructed(0x30, iccidTlv, nameTlv, a3);
  }

  /**
   * The {@code A3 { 86 ... }} element exactly as it goes into a bound package, encoded once (the
   * binding fast path copies it; callers must not modify it).
   */
  byte[] a3() {
    return a3;
  }

  /**
   * The encoded length of the {@code A3} element: a PPK-mode bound package ends with exactly these
   * bytes, as does {@link #encode()}.
   */
  public int a3Length() {
    return a3.length;
  }

  public Iccid iccid() {
    return iccid;
  }

  public Optional<String> profileName() {
    return Optional.ofNullable(profileName);
  }

  /** Number of {@code 86} segments. */
  public int segmentCount() {
    return segments.size();
  }

  /** Copies of the encoded {@code 86} segments, in order. */
  public List<byte[]> segments() {
    List<byte[]> out = new ArrayList<>(segments.size());
    for (byte[] s : segments) {
      out.add(s.clone());
    }
    return out;
  }

  @Override
  public String toString() {
    return "ProtectedProfilePackage[iccid=" + iccid + ", " + segments.size() + " segments]";
  }
}
