package org.ifpp.crypto.euiccdata;

import static org.bouncycastle.asn1.BERTags.APPLICATION;
import static org.bouncycastle.asn1.BERTags.CONTEXT_SPECIFIC;
import static org.bouncycastle.asn1.BERTags.PRIVATE;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.internal.DerException;
import org.ifpp.crypto.internal.DerReader;

/** DER encoding and strict parsing of EuiccData (E1) and EuiccDataBatch (E2). */
final class EuiccDataCodec {

  static final int EUICC_DATA_TAG = 1;
  static final int BATCH_TAG = 2;
  static final int VERSION = 1;

  private EuiccDataCodec() {}

  static byte[] encode(EuiccData data) {
    ASN1EncodableVector keys = new ASN1EncodableVector();
    for (SignedOneTimePublicKey key : data.oneTimeKeys()) {
      ASN1EncodableVector k = new ASN1EncodableVector();
      k.add(new ASN1Integer(key.keyIndex()));
      k.add(new ASN1ObjectIdentifier(key.publicKey().curve().oid()));
      k.add(
          new DERTaggedObject(
              false, APPLICATION, 73, new DEROctetString(key.publicKey().toUncompressed())));
      k.add(new DERTaggedObject(false, APPLICATION, 55, new DEROctetString(key.signature())));
      keys.add(new DERSequence(k));
    }
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(VERSION));
    v.add(new DERTaggedObject(false, APPLICATION, 26, new DEROctetString(data.eid().toBytes())));
    v.add(certificate(data.euiccCertificate()));
    v.add(certificate(data.eumCertificate()));
    v.add(new DERSequence(keys));
    if (data.euiccInfo2().isPresent()) {
      v.add(primitive(data.euiccInfo2().get().encoded()));
      v.add(
          new DERTaggedObject(
              false, APPLICATION, 55, new DEROctetString(data.euiccInfo2Signature().get())));
    }
    return der(new DERTaggedObject(false, PRIVATE, EUICC_DATA_TAG, new DERSequence(v)));
  }

  static byte[] encodeBatch(List<EuiccData> records) {
    ASN1EncodableVector items = new ASN1EncodableVector();
    for (EuiccData data : records) {
      items.add(primitive(encode(data)));
    }
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(VERSION));
    v.add(new DERSequence(items));
    return der(new DERTaggedObject(false, PRIVATE, BATCH_TAG, new DERSequence(v)));
  }

  /** Certificates are carried as they are; a non-DER certificate is refused at encoding. */
  private static ASN1Primitive certificate(byte[] der) {
    try {
      return DerReader.parse(der, "certificate");
    } catch (DerException e) {
      throw new IllegalArgumentException("certificate is not one DER object");
    }
  }

  private static ASN1Primitive primitive(byte[] der) {
    try {
      return ASN1Primitive.fromByteArray(der);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] der(ASN1Encodable object) {
    try {
      return object.toASN1Primitive().getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static EuiccDataParseResult parse(byte[] bytes) {
    try {
      return new EuiccDataParseResult.Parsed(read(DerReader.parse(bytes, "EuiccData")));
    } catch (DerException e) {
      return new EuiccDataParseResult.Malformed(e.detail());
    } catch (RuntimeException e) {
      // Eid, EcPublicKey and Curve refuse bad values with IllegalArgumentException
      return new EuiccDataParseResult.Malformed("EuiccData: invalid value: " + e.getMessage());
    }
  }

  static BatchParseResult parseBatch(byte[] bytes) {
    try {
      ASN1Primitive root = DerReader.parse(bytes, "EuiccDataBatch");
      DerReader batch = DerReader.taggedSequence(root, PRIVATE, BATCH_TAG, "EuiccDataBatch");
      version(batch.next(ASN1Integer.class, "version"));
      ASN1Sequence items = batch.next(ASN1Sequence.class, "euiccs");
      batch.end();
      List<EuiccDataParseResult> records = new ArrayList<>();
      for (ASN1Encodable item : items) {
        records.add(parse(der(item)));
      }
      return new BatchParseResult.Parsed(records);
    } catch (DerException e) {
      return new BatchParseResult.Malformed(e.detail());
    } catch (RuntimeException e) {
      return new BatchParseResult.Malformed("EuiccDataBatch: undecodable");
    }
  }

  private static EuiccData read(ASN1Primitive root) throws DerException {
    DerReader data = DerReader.taggedSequence(root, PRIVATE, EUICC_DATA_TAG, "EuiccData");
    version(data.next(ASN1Integer.class, "version"));
    byte[] eidBytes = DerReader.implicitOctets(data.next(APPLICATION, 26, "eid"), "eid");
    byte[] euiccCert = der(data.next(ASN1Sequence.class, "euiccCertificate"));
    byte[] eumCert = der(data.next(ASN1Sequence.class, "eumCertificate"));
    ASN1Sequence keySequence = data.next(ASN1Sequence.class, "oneTimeKeys");
    EuiccInfo2 info = null;
    byte[] infoSignature = null;
    if (data.nextIs(CONTEXT_SPECIFIC, 34)) {
      ASN1Encodable element = data.next("euiccInfo2");
      info = EuiccInfo2.read(element, der(element));
      infoSignature =
          DerReader.implicitOctets(
              data.next(APPLICATION, 55, "euiccInfo2Signature"), "euiccInfo2Signature");
      if (infoSignature.length != 64) {
        throw new DerException(
            DerException.Kind.STRUCTURE, "EuiccData.euiccInfo2Signature: must be 64 bytes");
      }
    }
    data.end();
    if (eidBytes.length != 16) {
      throw new DerException(DerException.Kind.STRUCTURE, "EuiccData.eid: must be 16 bytes");
    }
    Eid eid = Eid.fromBytes(eidBytes);
    List<SignedOneTimePublicKey> keys = new ArrayList<>();
    for (ASN1Encodable item : keySequence) {
      keys.add(readKey(DerReader.sequence(item, "oneTimeKeys[" + keys.size() + "]")));
    }
    if (keys.isEmpty()) {
      throw new DerException(DerException.Kind.STRUCTURE, "EuiccData.oneTimeKeys: empty");
    }
    EuiccData parsed = EuiccData.of(eid, euiccCert, eumCert, keys);
    return info == null ? parsed : parsed.withEuiccInfo2(info, infoSignature);
  }

  private static SignedOneTimePublicKey readKey(DerReader key) throws DerException {
    BigInteger index = key.next(ASN1Integer.class, "keyIndex").getValue();
    Curve curve = Curve.fromOid(key.next(ASN1ObjectIdentifier.class, "curve").getId());
    byte[] point = DerReader.implicitOctets(key.next(APPLICATION, 73, "otPK"), "otPK");
    byte[] signature =
        DerReader.implicitOctets(key.next(APPLICATION, 55, "euiccSignature"), "euiccSignature");
    key.end();
    if (index.signum() < 0 || index.bitLength() > 16) {
      throw new DerException(DerException.Kind.STRUCTURE, "keyIndex: must be 0..65535");
    }
    return SignedOneTimePublicKey.of(
        index.intValue(), EcPublicKey.fromUncompressed(curve, point), signature);
  }

  private static void version(ASN1Integer version) throws DerException {
    if (!version.hasValue(VERSION)) {
      throw new DerException(DerException.Kind.STRUCTURE, "unsupported version " + version);
    }
  }
}
