package org.ifpp.crypto.pir;

import static org.bouncycastle.asn1.BERTags.APPLICATION;
import static org.bouncycastle.asn1.BERTags.CONTEXT_SPECIFIC;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.internal.DerException;
import org.ifpp.crypto.internal.DerReader;
import org.ifpp.crypto.pir.InstallationOutcome.ErrorResult;
import org.ifpp.crypto.pir.InstallationOutcome.SuccessResult;

/** DER encoding and strict parsing of SGP.22 5.5.3 ProfileInstallationResult (BF37 / BF27). */
final class PirCodec {

  /** profileManagementOperation = notificationInstall (bit 0): {@code 81 02 07 80}. */
  private static final byte[] NOTIFICATION_INSTALL = {0x07, (byte) 0x80};

  /** A PIR is a few hundred bytes; anything far larger is refused before parsing. */
  static final int MAX_LENGTH = 65_536;

  private PirCodec() {}

  static byte[] encodeData(ProfileInstallationResult r) {
    ASN1EncodableVector metadata = new ASN1EncodableVector();
    metadata.add(new DERTaggedObject(false, 0, new ASN1Integer(r.seqNumber())));
    metadata.add(new DERTaggedObject(false, 1, new DERBitString(new byte[] {(byte) 0x80}, 7)));
    metadata.add(new DERUTF8String(r.notificationAddress()));
    r.iccid()
        .ifPresent(
            i ->
                metadata.add(
                    new DERTaggedObject(false, APPLICATION, 26, new DEROctetString(i.toBytes()))));

    ASN1EncodableVector data = new ASN1EncodableVector();
    data.add(new DERTaggedObject(false, 0, new DEROctetString(r.transactionId().toBytes())));
    data.add(new DERTaggedObject(false, 47, new DERSequence(metadata)));
    r.smdpOid().ifPresent(oid -> data.add(new ASN1ObjectIdentifier(oid)));
    data.add(new DERTaggedObject(true, 2, outcome(r.outcome())));
    return der(new DERTaggedObject(false, 39, new DERSequence(data)));
  }

  private static ASN1Encodable outcome(InstallationOutcome outcome) {
    ASN1EncodableVector v = new ASN1EncodableVector();
    if (outcome instanceof SuccessResult s) {
      v.add(new DERTaggedObject(false, APPLICATION, 15, new DEROctetString(s.aid())));
      v.add(new DEROctetString(s.simaResponse()));
      return new DERTaggedObject(false, 0, new DERSequence(v));
    }
    ErrorResult e = (ErrorResult) outcome;
    v.add(new DERTaggedObject(false, 0, new ASN1Integer(e.bppCommandId().code())));
    v.add(new DERTaggedObject(false, 1, new ASN1Integer(e.errorReason().code())));
    e.simaResponse().ifPresent(sima -> v.add(new DEROctetString(sima)));
    return new DERTaggedObject(false, 1, new DERSequence(v));
  }

  static byte[] encodeSigned(byte[] data, byte[] signature) {
    try {
      ASN1Encodable dataObject = ASN1Primitive.fromByteArray(data);
      ASN1EncodableVector v = new ASN1EncodableVector();
      v.add(dataObject);
      v.add(new DERTaggedObject(false, APPLICATION, 55, new DEROctetString(signature)));
      return der(new DERTaggedObject(false, 55, new DERSequence(v)));
    } catch (IOException e) {
      throw new UncheckedIOException("own encoding cannot be parsed", e);
    }
  }

  private static byte[] der(ASN1Encodable object) {
    try {
      return object.toASN1Primitive().getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static PirParseResult parse(byte[] bytes) {
    try {
      return new PirParseResult.Parsed(parseSigned(bytes));
    } catch (DerException e) {
      return new PirParseResult.Malformed(
          e.kind() == DerException.Kind.ENCODING
              ? PirError.MALFORMED_ENCODING
              : PirError.UNEXPECTED_STRUCTURE,
          e.detail());
    } catch (InvalidValue e) {
      return new PirParseResult.Malformed(e.error, e.getMessage());
    } catch (RuntimeException e) {
      // backstop: no parser bug may turn hostile input into an unchecked exception
      return new PirParseResult.Malformed(PirError.UNEXPECTED_STRUCTURE, "undecodable structure");
    }
  }

  private static SignedProfileInstallationResult parseSigned(byte[] bytes)
      throws DerException, InvalidValue {
    if (bytes != null && bytes.length > MAX_LENGTH) {
      throw new DerException(DerException.Kind.ENCODING, "longer than " + MAX_LENGTH + " bytes");
    }
    ASN1Primitive root = DerReader.parse(bytes, "ProfileInstallationResult");
    DerReader outer = DerReader.taggedSequence(root, CONTEXT_SPECIFIC, 55, "BF37");
    ASN1TaggedObject dataObject = outer.next(CONTEXT_SPECIFIC, 39, "profileInstallationResultData");
    byte[] signature =
        DerReader.implicitOctets(outer.next(APPLICATION, 55, "euiccSignPIR"), "euiccSignPIR");
    outer.end();
    if (signature.length != 64) {
      throw new InvalidValue(PirError.INVALID_VALUE, "euiccSignPIR must be 64 bytes");
    }
    ProfileInstallationResult result = parseData(dataObject);
    byte[] data = der(dataObject);
    return SignedProfileInstallationResult.parsed(result, data, signature, bytes.clone());
  }

  private static ProfileInstallationResult parseData(ASN1TaggedObject dataObject)
      throws DerException, InvalidValue {
    DerReader data = DerReader.implicitSequence(dataObject, "BF27");
    byte[] tid =
        DerReader.implicitOctets(data.next(CONTEXT_SPECIFIC, 0, "transactionId"), "transactionId");
    DerReader meta =
        DerReader.implicitSequence(data.next(CONTEXT_SPECIFIC, 47, "notificationMetadata"), "BF2F");
    BigInteger seq = DerReader.implicitInteger(meta.next(CONTEXT_SPECIFIC, 0, "seqNumber"), "80");
    byte[] event =
        DerReader.implicitOctets(
            meta.next(CONTEXT_SPECIFIC, 1, "profileManagementOperation"), "81");
    String address = meta.next(ASN1UTF8String.class, "notificationAddress").getString();
    Optional<byte[]> iccid = Optional.empty();
    if (meta.nextIs(APPLICATION, 26)) {
      iccid = Optional.of(DerReader.implicitOctets(meta.next(APPLICATION, 26, "iccid"), "5A"));
    }
    meta.end();
    Optional<String> smdpOid = Optional.empty();
    if (data.nextIs(ASN1ObjectIdentifier.class)) {
      smdpOid = Optional.of(data.next(ASN1ObjectIdentifier.class, "smdpOid").getId());
    }
    ASN1TaggedObject finalResult = data.next(CONTEXT_SPECIFIC, 2, "finalResult");
    data.end();

    if (seq.signum() < 0 || seq.bitLength() > 63) {
      throw new InvalidValue(PirError.INVALID_VALUE, "seqNumber out of range");
    }
    if (!Arrays.equals(event, NOTIFICATION_INSTALL)) {
      throw new InvalidValue(PirError.INVALID_VALUE, "profileManagementOperation is not install");
    }
    try {
      return new ProfileInstallationResult(
          TransactionId.of(tid),
          seq.longValueExact(),
          address,
          iccid.map(Iccid::fromBytes),
          smdpOid,
          outcome(finalResult));
    } catch (IllegalArgumentException e) {
      throw new InvalidValue(PirError.INVALID_VALUE, e.getMessage());
    }
  }

  private static InstallationOutcome outcome(ASN1TaggedObject finalResult)
      throws DerException, InvalidValue {
    if (!finalResult.isExplicit()) {
      throw new DerException(DerException.Kind.STRUCTURE, "finalResult: expected A2 { A0 | A1 }");
    }
    ASN1Encodable choice = finalResult.getExplicitBaseObject();
    if (choice instanceof ASN1TaggedObject t && t.hasContextTag(0)) {
      DerReader s = DerReader.implicitSequence(t, "successResult");
      byte[] aid = DerReader.implicitOctets(s.next(APPLICATION, 15, "aid"), "4F");
      byte[] sima = s.next(ASN1OctetString.class, "simaResponse").getOctets();
      s.end();
      return new SuccessResult(aid, sima);
    }
    DerReader e = DerReader.taggedSequence(choice, CONTEXT_SPECIFIC, 1, "errorResult");
    BigInteger command =
        DerReader.implicitInteger(e.next(CONTEXT_SPECIFIC, 0, "bppCommandId"), "80");
    BigInteger reason = DerReader.implicitInteger(e.next(CONTEXT_SPECIFIC, 1, "errorReason"), "81");
    Optional<byte[]> sima = Optional.empty();
    if (e.nextIs(ASN1OctetString.class)) {
      sima = Optional.of(e.next(ASN1OctetString.class, "simaResponse").getOctets());
    }
    e.end();
    BppCommandId commandId =
        BppCommandId.fromCode(command.bitLength() > 31 ? -1 : command.longValue())
            .orElseThrow(() -> new InvalidValue(PirError.UNKNOWN_CODE, "unknown bppCommandId"));
    ErrorReason errorReason =
        ErrorReason.fromCode(reason.bitLength() > 31 ? -1 : reason.longValue())
            .orElseThrow(() -> new InvalidValue(PirError.UNKNOWN_CODE, "unknown errorReason"));
    return new ErrorResult(commandId, errorReason, sima);
  }

  /** A field outside its range; internal, turned into {@link PirParseResult.Malformed}. */
  private static final class InvalidValue extends Exception {
    private final PirError error;

    InvalidValue(PirError error, String detail) {
      super(detail, null, false, false);
      this.error = error;
    }
  }
}
