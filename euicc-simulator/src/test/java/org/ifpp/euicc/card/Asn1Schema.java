package org.ifpp.euicc.card;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.BERTags;

/**
 * A small checker of ASN.1 types (X.680 tags and structure, X.690 DER) over BouncyCastle's strict
 * decoder: the SGP.22 definitions the card's answers must meet are written with it in {@link
 * Sgp22Asn1}. {@link #decodeStrictly} parses with BouncyCastle, checks the whole input was one
 * value and that its DER re-encoding is byte-identical, then walks the schema.
 */
final class Asn1Schema {

  private Asn1Schema() {}

  /** A type: what a value must be once its own tag has been resolved. */
  interface Type {
    /** The universal tag number of the type, or -1 for a CHOICE (always tagged explicitly). */
    int universal();

    void check(ASN1Primitive value, String path);
  }

  /** A component of a SEQUENCE, or a tagged root: its tag (none: the type's universal tag). */
  record Field(String name, int tagClass, int tagNo, boolean optional, Type type) {

    boolean tagged() {
      return tagClass != BERTags.UNIVERSAL;
    }

    boolean accepts(ASN1Primitive p) {
      if (tagged()) {
        return p instanceof ASN1TaggedObject t
            && t.getTagClass() == tagClass
            && t.getTagNo() == tagNo;
      }
      if (type.universal() < 0) {
        return ((Choice) type).accepts(p);
      }
      return !(p instanceof ASN1TaggedObject) && universalOf(p) == type.universal();
    }

    void check(ASN1Primitive p, String path) {
      String here = path + "." + name;
      if (!accepts(p)) {
        throw new AssertionError(here + ": unexpected " + describe(p));
      }
      if (!tagged()) {
        type.check(p, here);
      } else if (type.universal() < 0) {
        // A tagged CHOICE is always tagged explicitly (X.680 31.2.7).
        type.check(((ASN1TaggedObject) p).getExplicitBaseObject().toASN1Primitive(), here);
      } else {
        // SGP.22's module: tags are implicit unless the type is a CHOICE.
        type.check(((ASN1TaggedObject) p).getBaseUniversal(false, type.universal()), here);
      }
    }
  }

  static Field field(String name, int tagClass, int tagNo, Type type) {
    return new Field(name, tagClass, tagNo, false, type);
  }

  static Field ctx(String name, int tagNo, Type type) {
    return field(name, BERTags.CONTEXT_SPECIFIC, tagNo, type);
  }

  static Field app(String name, int tagNo, Type type) {
    return field(name, BERTags.APPLICATION, tagNo, type);
  }

  static Field untagged(String name, Type type) {
    return field(name, BERTags.UNIVERSAL, -1, type);
  }

  static Field optional(Field f) {
    return new Field(f.name(), f.tagClass(), f.tagNo(), true, f.type());
  }

  static final Type INTEGER = simple(BERTags.INTEGER, ASN1Integer.class);
  static final Type BOOLEAN = simple(BERTags.BOOLEAN, ASN1Boolean.class);
  static final Type UTF8 = simple(BERTags.UTF8_STRING, ASN1UTF8String.class);
  static final Type BIT_STRING = simple(BERTags.BIT_STRING, ASN1BitString.class);
  static final Type OID = simple(BERTags.OBJECT_IDENTIFIER, ASN1ObjectIdentifier.class);
  static final Type OCTET_STRING = octets(0, Integer.MAX_VALUE);

  static Type octets(int min, int max) {
    return new Type() {
      public int universal() {
        return BERTags.OCTET_STRING;
      }

      public void check(ASN1Primitive value, String path) {
        if (!(value instanceof ASN1OctetString o)) {
          throw new AssertionError(path + ": not an OCTET STRING");
        }
        int n = o.getOctets().length;
        if (n < min || n > max) {
          throw new AssertionError(path + ": SIZE " + n + " not in " + min + ".." + max);
        }
      }
    };
  }

  static Type simple(int universal, Class<?> bcClass) {
    return new Type() {
      public int universal() {
        return universal;
      }

      public void check(ASN1Primitive value, String path) {
        if (!bcClass.isInstance(value)) {
          throw new AssertionError(path + ": expected " + bcClass.getSimpleName());
        }
      }
    };
  }

  /** SEQUENCE { fields } in order, optional ones possibly absent, nothing else. */
  static Type sequence(Field... fields) {
    return new Type() {
      public int universal() {
        return BERTags.SEQUENCE;
      }

      public void check(ASN1Primitive value, String path) {
        if (!(value instanceof ASN1Sequence seq)) {
          throw new AssertionError(path + ": not a SEQUENCE");
        }
        List<ASN1Primitive> items = new ArrayList<>();
        seq.forEach(e -> items.add(e.toASN1Primitive()));
        int i = 0;
        for (Field f : fields) {
          if (i < items.size() && f.accepts(items.get(i))) {
            f.check(items.get(i++), path);
          } else if (!f.optional()) {
            throw new AssertionError(path + "." + f.name() + ": missing");
          }
        }
        if (i != items.size()) {
          throw new AssertionError(path + ": unexpected " + describe(items.get(i)));
        }
      }
    };
  }

  /** SEQUENCE OF element. */
  static Type sequenceOf(Field element) {
    return new Type() {
      public int universal() {
        return BERTags.SEQUENCE;
      }

      public void check(ASN1Primitive value, String path) {
        if (!(value instanceof ASN1Sequence seq)) {
          throw new AssertionError(path + ": not a SEQUENCE OF");
        }
        int n = 0;
        for (var e : seq) {
          element.check(e.toASN1Primitive(), path + "[" + n++ + "]");
        }
      }
    };
  }

  /** CHOICE { alternatives }, each with a distinct tag. */
  record Choice(Field... alternatives) implements Type {
    public int universal() {
      return -1;
    }

    boolean accepts(ASN1Primitive p) {
      return Arrays.stream(alternatives).anyMatch(a -> a.accepts(p));
    }

    public void check(ASN1Primitive value, String path) {
      for (Field a : alternatives) {
        if (a.accepts(value)) {
          a.check(value, path);
          return;
        }
      }
      throw new AssertionError(path + ": no CHOICE alternative for " + describe(value));
    }
  }

  /** Decodes with BouncyCastle, requires DER (identical re-encoding), and checks the schema. */
  static ASN1Primitive decodeStrictly(byte[] der, Field root) {
    ASN1Primitive p;
    try (ASN1InputStream in =
        new ASN1InputStream(new ByteArrayInputStream(der), der.length, true)) {
      p = in.readObject();
      if (p == null || in.readObject() != null) {
        throw new AssertionError("not exactly one value");
      }
      if (!Arrays.equals(p.getEncoded(ASN1Encoding.DER), der)) {
        throw new AssertionError("not DER: the re-encoding differs");
      }
    } catch (IOException e) {
      throw new AssertionError("undecodable: " + e.getMessage(), e);
    }
    root.check(p, "");
    return p;
  }

  private static int universalOf(ASN1Primitive p) {
    if (p instanceof ASN1Sequence) {
      return BERTags.SEQUENCE;
    } else if (p instanceof ASN1Integer) {
      return BERTags.INTEGER;
    } else if (p instanceof ASN1OctetString) {
      return BERTags.OCTET_STRING;
    } else if (p instanceof ASN1UTF8String) {
      return BERTags.UTF8_STRING;
    } else if (p instanceof ASN1BitString) {
      return BERTags.BIT_STRING;
    } else if (p instanceof ASN1Boolean) {
      return BERTags.BOOLEAN;
    } else if (p instanceof ASN1ObjectIdentifier) {
      return BERTags.OBJECT_IDENTIFIER;
    }
    return -2;
  }

  private static String describe(ASN1Primitive p) {
    if (p instanceof ASN1TaggedObject t) {
      return "tag class " + t.getTagClass() + " number " + t.getTagNo();
    }
    return p.getClass().getSimpleName();
  }
}
