package org.ifpp.crypto.finalisation;

import java.math.BigInteger;
import java.util.List;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvException;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;
import org.ifpp.crypto.tlv.TlvWriter;

/**
 * The envelope both finalisation structures share, as SGP.22 signs a Profile Installation Result:
 * {@code outer { data { ... }, 5F37 signature }}, the signature (ECDSA-SHA256, raw {@code r||s}, 64
 * bytes) over the complete data TLV, tag and length included. Every field is read strictly: known
 * tags in order, nothing else, lengths checked.
 */
final class SignedTlv {

  static final int TAG_SIGNATURE = 0x5F37;
  static final int TAG_EID = 0x5A;
  static final int TAG_COUNTER = 0x80;
  private static final TlvLimits LIMITS = new TlvLimits(1024, 4, 512);

  /** The data TLV (signed bytes) and the signature of a parsed envelope. */
  record Parts(Tlv data, List<Tlv> fields, byte[] signature) {}

  private SignedTlv() {}

  static byte[] encode(int outerTag, byte[] dataTlv, byte[] signature) {
    if (signature.length != 64) {
      throw new IllegalArgumentException("signature must be 64 bytes (r||s)");
    }
    return TlvWriter.encodeConstructed(
        outerTag, dataTlv, TlvWriter.encode(TAG_SIGNATURE, signature));
  }

  /**
   * Parses {@code outerTag { dataTag { fields }, 5F37 signature }} and checks the field tags.
   *
   * @throws MalformedFinalisationException for anything else
   */
  static Parts parse(byte[] bytes, int outerTag, int dataTag, int... fieldTags) {
    try {
      Tlv outer = TlvReader.readSingle(bytes, LIMITS);
      if (outer.tag() != outerTag) {
        throw new MalformedFinalisationException("expected tag " + hex(outerTag));
      }
      List<Tlv> parts = outer.children();
      if (parts.size() == 1 && parts.get(0).tag() == dataTag) {
        throw new MalformedFinalisationException("no signature (5F37)", true);
      }
      if (parts.size() != 2
          || parts.get(0).tag() != dataTag
          || parts.get(1).tag() != TAG_SIGNATURE) {
        throw new MalformedFinalisationException(
            "expected " + hex(dataTag) + " then 5F37 inside " + hex(outerTag));
      }
      List<Tlv> fields = parts.get(0).children();
      if (fields.size() != fieldTags.length) {
        throw new MalformedFinalisationException(hex(dataTag) + " has the wrong number of fields");
      }
      for (int i = 0; i < fieldTags.length; i++) {
        if (fields.get(i).tag() != fieldTags[i]) {
          throw new MalformedFinalisationException(
              "field " + i + " of " + hex(dataTag) + " must be " + hex(fieldTags[i]));
        }
      }
      byte[] signature = parts.get(1).value();
      if (signature.length != 64) {
        throw new MalformedFinalisationException("signature must be 64 bytes (r||s)");
      }
      return new Parts(parts.get(0), fields, signature);
    } catch (TlvException e) {
      throw new MalformedFinalisationException("not BER-TLV: " + e.code());
    }
  }

  static byte[] eid(Eid eid) {
    return TlvWriter.encode(TAG_EID, eid.toBytes());
  }

  static Eid eid(Tlv t) {
    try {
      return Eid.fromBytes(t.value());
    } catch (IllegalArgumentException e) {
      throw new MalformedFinalisationException("5A is not a valid EID");
    }
  }

  /** A non-negative number as a DER INTEGER value (minimal, two's complement). */
  static byte[] unsigned(int tag, long value) {
    if (value < 0) {
      throw new IllegalArgumentException("must not be negative");
    }
    return TlvWriter.encode(tag, BigInteger.valueOf(value).toByteArray());
  }

  static long unsigned(Tlv t, String what) {
    byte[] v = t.value();
    boolean minimal =
        v.length == 1 || (v.length > 1 && !(v[0] == 0 && (v[1] & 0x80) == 0) && v[0] != -1);
    if (v.length == 0 || v.length > 9 || !minimal || (v[0] & 0x80) != 0) {
      throw new MalformedFinalisationException(what + " is not a minimal non-negative INTEGER");
    }
    BigInteger n = new BigInteger(v);
    if (n.bitLength() > 63) {
      throw new MalformedFinalisationException(what + " is too large");
    }
    return n.longValue();
  }

  static String hex(int tag) {
    return Integer.toHexString(tag).toUpperCase(java.util.Locale.ROOT);
  }
}
