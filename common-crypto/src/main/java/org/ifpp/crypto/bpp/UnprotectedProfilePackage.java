package org.ifpp.crypto.bpp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvException;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;

/**
 * An Unprotected Profile Package (UPP, SGP.22 section 2.5.2): the DER-encoded sequence of SAIP
 * ProfileElements (TCA eUICC Profile Package specification) whose first element is the
 * ProfileHeader ({@code A0}).
 *
 * <p>Validation: the whole input is well-formed DER-TLV within {@link TlvLimits#DEFAULT}; every
 * top-level element is a context-specific constructed ProfileElement; the header holds a major
 * version ({@code 80}) and an ICCID ({@code 83}, 10 bytes); the last element is the End element
 * ({@code AA}), so that a package truncated at a segment boundary is refused. The header ICCID is
 * plain BCD in digit order with F padding (as the SAIP profiles of GSMA TS.48 and pySim encode it),
 * unlike the nibble-swapped EF.ICCID form of SGP.22 tag 5A. The profile name is the header's
 * profileType ({@code 82}), if present.
 *
 * <p>The bytes are a plain profile (GENS09): held as {@link SecretBytes}, read only with a {@link
 * SecretAccess} token, wiped by {@link #close()}.
 */
public final class UnprotectedProfilePackage implements AutoCloseable {

  /** SAIP ProfileElement end [10]. */
  private static final int TAG_END = 0xAA;

  private final SecretBytes bytes;
  private final Iccid iccid;
  private final String profileName;
  private final int elementCount;

  private UnprotectedProfilePackage(
      SecretBytes bytes, Iccid iccid, String profileName, int elementCount) {
    this.bytes = bytes;
    this.iccid = iccid;
    this.profileName = profileName;
    this.elementCount = elementCount;
  }

  /**
   * Parses and validates {@code owned} in place, taking ownership of it: the package wipes it on
   * {@link #close()}, and this method wipes it if it throws. For the opener, whose decrypted
   * profile then exists only once in memory.
   */
  static UnprotectedProfilePackage parseAdopting(SecretBytes owned) throws ProfilePackageException {
    try {
      if (owned.size() == 0) {
        throw new ProfilePackageException(ProfilePackageException.Code.MALFORMED_TLV, "empty");
      }
      return parseOwned(owned);
    } catch (ProfilePackageException | RuntimeException e) {
      owned.close();
      throw e;
    }
  }

  /**
   * Opaque bytes taken as a profile without any check (none of the validation above runs): for
   * reproducing recorded sessions of other SGP.22 implementations whose "profile" is a test string
   * ({@code ifpp bind --raw-upp}). The ICCID is the one the metadata announces; there is no name. A
   * chip that opens such a package refuses it at its profile checks (rules.md section 6, step 8).
   *
   * @throws IllegalArgumentException if {@code content} is empty
   */
  public static UnprotectedProfilePackage opaque(byte[] content, Iccid iccid) {
    if (content == null || content.length == 0) {
      throw new IllegalArgumentException("empty profile");
    }
    return new UnprotectedProfilePackage(
        SecretBytes.copyOf(content), java.util.Objects.requireNonNull(iccid, "iccid"), null, 0);
  }

  /** Parses and validates a copy of {@code der}. */
  public static UnprotectedProfilePackage parse(byte[] der) throws ProfilePackageException {
    if (der == null || der.length == 0) {
      throw new ProfilePackageException(ProfilePackageException.Code.MALFORMED_TLV, "empty");
    }
    // One copy only, owned by the SecretBytes: parsed in place, wiped on failure or close().
    SecretBytes bytes = SecretBytes.copyOf(der);
    try {
      return parseOwned(bytes);
    } catch (ProfilePackageException | RuntimeException e) {
      bytes.close();
      throw e;
    }
  }

  private static UnprotectedProfilePackage parseOwned(SecretBytes bytes)
      throws ProfilePackageException {
    List<Tlv> elements;
    try {
      elements =
          TlvReader.readTreeInPlace(bytes.unsafeView(SecretAccess.GRANTED), TlvLimits.DEFAULT);
    } catch (TlvException e) {
      throw new ProfilePackageException(
          ProfilePackageException.Code.MALFORMED_TLV, "not a DER profile package: " + e.code(), e);
    }
    for (Tlv pe : elements) {
      int first = pe.tag() > 0xFF ? pe.tag() >> 8 : pe.tag();
      if ((first & 0xE0) != 0xA0) {
        throw new ProfilePackageException(
            ProfilePackageException.Code.INVALID_STRUCTURE,
            "ProfileElement " + pe.tagHex() + " is not context-specific constructed");
      }
    }
    if (elements.get(elements.size() - 1).tag() != TAG_END) {
      // Without an End element, a package cut at a segment boundary would look complete.
      throw new ProfilePackageException(
          ProfilePackageException.Code.INVALID_STRUCTURE, "last ProfileElement is not end (AA)");
    }
    Tlv header = elements.get(0);
    if (header.tag() != 0xA0) {
      throw new ProfilePackageException(
          ProfilePackageException.Code.INVALID_STRUCTURE, "first ProfileElement is not header A0");
    }
    // The header's children, read once: the first of each tag counts.
    Tlv majorVersion = null;
    Tlv iccidTlv = null;
    Tlv type = null;
    for (Tlv c : header.children()) {
      if (c.tag() == 0x80 && majorVersion == null) {
        majorVersion = c;
      } else if (c.tag() == 0x83 && iccidTlv == null) {
        iccidTlv = c;
      } else if (c.tag() == 0x82 && type == null) {
        type = c;
      }
    }
    if (majorVersion == null) {
      throw new ProfilePackageException(
          ProfilePackageException.Code.INVALID_STRUCTURE, "ProfileHeader lacks major-version");
    }
    if (iccidTlv == null) {
      throw new ProfilePackageException(
          ProfilePackageException.Code.INVALID_STRUCTURE, "ProfileHeader lacks iccid");
    }
    Iccid iccid = plainBcdIccid(iccidTlv.value());
    String name = type == null ? null : utf8(type.value());
    return new UnprotectedProfilePackage(bytes, iccid, name, elements.size());
  }

  static Iccid plainBcdIccid(byte[] v) throws ProfilePackageException {
    if (v.length != 10) {
      throw new ProfilePackageException(
          ProfilePackageException.Code.INVALID_VALUE, "iccid must be 10 bytes");
    }
    StringBuilder digits = new StringBuilder(20);
    boolean padding = false;
    for (byte b : v) {
      for (int nibble : new int[] {(b >> 4) & 0x0F, b & 0x0F}) {
        if (nibble == 0x0F) {
          padding = true;
        } else if (padding || nibble > 9) {
          throw new ProfilePackageException(
              ProfilePackageException.Code.INVALID_VALUE, "iccid is not BCD");
        } else {
          digits.append((char) ('0' + nibble));
        }
      }
    }
    try {
      return Iccid.of(digits.toString());
    } catch (IllegalArgumentException e) {
      throw new ProfilePackageException(
          ProfilePackageException.Code.INVALID_VALUE, "iccid has a wrong number of digits");
    }
  }

  private static String utf8(byte[] v) throws ProfilePackageException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(v))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ProfilePackageException(
          ProfilePackageException.Code.INVALID_VALUE, "profileType is not UTF-8");
    }
  }

  /** The ICCID of the ProfileHeader. */
  public Iccid iccid() {
    return iccid;
  }

  /** The ProfileHeader's profileType ({@code 82}), the closest thing to a profile name. */
  public Optional<String> profileName() {
    return Optional.ofNullable(profileName);
  }

  /** Number of ProfileElements. */
  public int elementCount() {
    return elementCount;
  }

  /** Size of the DER encoding, in bytes. */
  public int size() {
    return bytes.size();
  }

  /** A copy of the plain profile bytes; wipe it after use. */
  public byte[] toByteArray(SecretAccess access) {
    return bytes.toByteArray(access);
  }

  /**
   * The plain profile bytes without copying (e.g. to hash them as they are installed): the caller
   * must neither keep nor modify the array; {@link #close()} wipes it.
   */
  public byte[] unsafeView(SecretAccess access) {
    return bytes.unsafeView(access);
  }

  /** The plain profile bytes without copying, for the BSP hot path; do not keep or modify. */
  byte[] view() {
    return bytes.unsafeView(SecretAccess.GRANTED);
  }

  public boolean isWiped() {
    return bytes.isWiped();
  }

  /** Wipes the plain profile. */
  @Override
  public void close() {
    bytes.close();
  }

  @Override
  public String toString() {
    return "UnprotectedProfilePackage[iccid=" + iccid + ", " + bytes.size() + " bytes]";
  }
}
