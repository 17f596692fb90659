package org.ifpp.crypto.internal;

import static org.ifpp.crypto.internal.DerException.Kind.ENCODING;
import static org.ifpp.crypto.internal.DerException.Kind.STRUCTURE;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DEROctetString;

/**
 * Reads the elements of one DER SEQUENCE in order, over BouncyCastle's ASN.1 objects: a thin strict
 * reader for the few fixed structures of {@code pir} and {@code euiccdata}, not a TLV library.
 * Every method either returns what the structure promises or throws {@link DerException}.
 */
public final class DerReader {

  private final ASN1Encodable[] items;
  private final String what;
  private int position;

  private DerReader(ASN1Encodable[] items, String what) {
    this.items = items;
    this.what = what;
  }

  /**
   * Parses exactly one DER object: BER forms (indefinite or non-minimal lengths), truncation and
   * trailing bytes are refused (the re-encoding must reproduce the input byte for byte).
   */
  public static ASN1Primitive parse(byte[] bytes, String what) throws DerException {
    if (bytes == null || bytes.length == 0) {
      throw new DerException(ENCODING, what + ": no data");
    }
    try {
      ASN1Primitive primitive = ASN1Primitive.fromByteArray(bytes);
      if (!Arrays.equals(primitive.getEncoded(ASN1Encoding.DER), bytes)) {
        throw new DerException(ENCODING, what + ": not DER");
      }
      return primitive;
    } catch (IOException | RuntimeException | StackOverflowError e) {
      // StackOverflowError: hostile nesting depth; the parse state is local, so it is safe to stop
      throw new DerException(ENCODING, what + ": truncated, too deeply nested, or not DER");
    }
  }

  /** Requires {@code object} to carry the tag, and reads its content as an implicit SEQUENCE. */
  public static DerReader taggedSequence(ASN1Encodable object, int tagClass, int tagNo, String what)
      throws DerException {
    return implicitSequence(tagged(object, tagClass, tagNo, what), what);
  }

  public static DerReader sequence(ASN1Encodable object, String what) throws DerException {
    if (!(object instanceof ASN1Sequence sequence)) {
      throw new DerException(STRUCTURE, what + ": expected a SEQUENCE");
    }
    return new DerReader(sequence.toArray(), what);
  }

  public static ASN1TaggedObject tagged(ASN1Encodable object, int tagClass, int tagNo, String what)
      throws DerException {
    if (!(object instanceof ASN1TaggedObject tagged) || !tagged.hasTag(tagClass, tagNo)) {
      throw new DerException(STRUCTURE, what + ": unexpected tag");
    }
    return tagged;
  }

  public static DerReader implicitSequence(ASN1TaggedObject tagged, String what)
      throws DerException {
    try {
      if (!constructed(tagged)) {
        throw new DerException(STRUCTURE, what + ": expected a constructed element");
      }
      return sequence(tagged.getBaseUniversal(false, BERTags.SEQUENCE), what);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new DerException(STRUCTURE, what + ": expected a SEQUENCE");
    }
  }

  public static byte[] implicitOctets(ASN1TaggedObject tagged, String what) throws DerException {
    try {
      if (constructed(tagged)) {
        throw new DerException(STRUCTURE, what + ": expected a primitive element");
      }
      return ASN1OctetString.getInstance(tagged.getBaseUniversal(false, BERTags.OCTET_STRING))
          .getOctets();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new DerException(STRUCTURE, what + ": expected an OCTET STRING");
    }
  }

  public static BigInteger implicitInteger(ASN1TaggedObject tagged, String what)
      throws DerException {
    try {
      if (constructed(tagged)) {
        throw new DerException(STRUCTURE, what + ": expected a primitive element");
      }
      return ASN1Integer.getInstance(tagged.getBaseUniversal(false, BERTags.INTEGER)).getValue();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new DerException(STRUCTURE, what + ": expected an INTEGER");
    }
  }

  /**
   * Whether the element was encoded constructed (BouncyCastle does not expose the bit). A parsed
   * element is explicit when constructed around one element, and an implicit one over a DER OCTET
   * STRING when primitive; any other form is re-encoded to read the bit.
   */
  private static boolean constructed(ASN1TaggedObject tagged) {
    if (tagged.isExplicit()) {
      return true;
    }
    if (tagged.getBaseObject() instanceof DEROctetString) {
      return false;
    }
    try {
      return (tagged.getEncoded(ASN1Encoding.DER)[0] & 0x20) != 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** True if the next element exists and carries this tag (for OPTIONAL elements). */
  public boolean nextIs(int tagClass, int tagNo) {
    return position < items.length
        && items[position] instanceof ASN1TaggedObject t
        && t.hasTag(tagClass, tagNo);
  }

  /** True if the next element exists and is of this universal type (for OPTIONAL elements). */
  public boolean nextIs(Class<? extends ASN1Primitive> type) {
    return position < items.length && type.isInstance(items[position]);
  }

  public ASN1TaggedObject next(int tagClass, int tagNo, String field) throws DerException {
    return tagged(next(field), tagClass, tagNo, what + "." + field);
  }

  public <T extends ASN1Primitive> T next(Class<T> type, String field) throws DerException {
    ASN1Encodable item = next(field);
    if (!type.isInstance(item)) {
      throw new DerException(STRUCTURE, what + "." + field + ": unexpected type");
    }
    return type.cast(item);
  }

  public ASN1Encodable next(String field) throws DerException {
    if (position >= items.length) {
      throw new DerException(STRUCTURE, what + "." + field + ": missing");
    }
    return items[position++];
  }

  /** Requires that every element has been read. */
  public void end() throws DerException {
    if (position != items.length) {
      throw new DerException(STRUCTURE, what + ": unexpected element after the last field");
    }
  }
}
