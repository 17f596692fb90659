package org.ifpp.euicc.loading;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.ifpp.crypto.bpp.InitialiseSecureChannelRequest;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.signing.Signer;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;
import org.ifpp.crypto.tlv.TlvWriter;

/** Test-only edits of a Bound Profile Package (tampering, forged BF23), lengths kept consistent. */
final class BppSurgery {

  private BppSurgery() {}

  static List<Tlv> parts(byte[] bpp) {
    return TlvReader.readSingle(bpp, TlvLimits.DEFAULT).children();
  }

  static byte[] rebuild(List<Tlv> parts) {
    return Tlv.constructed(0xBF36, parts).encoded();
  }

  /** Replaces the value of the {@code index}-th element of the sequence {@code seqTag}. */
  static byte[] mutateElement(byte[] bpp, int seqTag, int index, UnaryOperator<byte[]> change) {
    List<Tlv> parts = new ArrayList<>(parts(bpp));
    for (int i = 0; i < parts.size(); i++) {
      Tlv seq = parts.get(i);
      if (seq.tag() == seqTag) {
        List<Tlv> elements = new ArrayList<>(seq.children());
        Tlv e = elements.get(index);
        elements.set(index, Tlv.of(e.tag(), change.apply(e.value())));
        parts.set(i, Tlv.constructed(seqTag, elements));
      }
    }
    return rebuild(parts);
  }

  /** Flips one bit of byte {@code at} of an element's value. */
  static byte[] flip(byte[] bpp, int seqTag, int index, int at) {
    return mutateElement(
        bpp,
        seqTag,
        index,
        v -> {
          byte[] c = v.clone();
          c[at] ^= 0x01;
          return c;
        });
  }

  /** Swaps two elements of a sequence (reordering). */
  static byte[] swap(byte[] bpp, int seqTag, int a, int b) {
    List<Tlv> parts = new ArrayList<>(parts(bpp));
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i).tag() == seqTag) {
        List<Tlv> elements = new ArrayList<>(parts.get(i).children());
        Tlv t = elements.get(a);
        elements.set(a, elements.get(b));
        elements.set(b, t);
        parts.set(i, Tlv.constructed(seqTag, elements));
      }
    }
    return rebuild(parts);
  }

  /**
   * Rebuilds BF23 with other remoteOpId / CRT values, correctly signed by {@code signer} for {@code
   * otPkEuicc}: the package then fails exactly the check the values break.
   */
  static byte[] forgeBf23(
      byte[] bpp, int remoteOpId, int keyType, int keyLength, Signer signer, EcPublicKey otPkEuicc)
      throws Exception {
    List<Tlv> parts = new ArrayList<>(parts(bpp));
    InitialiseSecureChannelRequest isc = InitialiseSecureChannelRequest.parse(parts.get(0));
    byte[] signedPart =
        TlvWriter.concat(
            TlvWriter.encode(0x82, new byte[] {(byte) remoteOpId}),
            TlvWriter.encode(0x80, isc.transactionId().toBytes()),
            TlvWriter.encodeConstructed(
                0xA6,
                TlvWriter.encode(0x80, new byte[] {(byte) keyType}),
                TlvWriter.encode(0x81, new byte[] {(byte) keyLength}),
                TlvWriter.encode(0x84, isc.hostId().toBytes())),
            TlvWriter.encode(0x5F49, isc.otPkDpBytes()));
    byte[] sig =
        signer.sign(
            TlvWriter.concat(signedPart, TlvWriter.encode(0x5F49, otPkEuicc.toUncompressed())));
    byte[] bf23 =
        TlvWriter.encode(0xBF23, TlvWriter.concat(signedPart, TlvWriter.encode(0x5F37, sig)));
    parts.set(0, TlvReader.readSingle(bf23, TlvLimits.DEFAULT));
    return rebuild(parts);
  }
}
