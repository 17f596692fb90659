package org.ifpp.crypto.bpp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
