package org.ifpp.euicc.card;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvWriter;
import org.ifpp.euicc.chip.Chip;
import org.ifpp.euicc.chip.ChipCapabilities;

/**
 * The read-only ES10 answers about the eUICC itself: ES10c.GetEID (SGP.22 5.7.20), ES10b.
 * GetEUICCInfo (5.7.8: EUICCInfo1 and EUICCInfo2 with every mandatory field of v2.2.2), ES10a.
 * GetEuiccConfiguredAddresses (5.7.3) and ES10b.GetRAT (5.7.19).
 */
final class Es10Info {

  /** SGP.22 v2.2.2: the version of the specification the card implements. */
  private static final byte[] SVN = ChipCapabilities.SVN;

  /** SIMalliance eUICC Profile Package version accepted (TS.48 v5 profiles are 2.3). */
  private static final byte[] PROFILE_VERSION = {2, 3, 0};

  private static final byte[] FIRMWARE_VERSION = {1, 0, 0};
  private static final byte[] PP_VERSION = {0, 0, 0};

  private final Eid eid;
  private final CardServices services;

  Es10Info(Eid eid, CardServices services) {
    this.eid = eid;
    this.services = services;
  }

  /** GetEID: {@code BF3E { 5A EID }}; a tag list, if any, may only ask for the EID. */
  Es10Response eid(Tlv request) {
    var tagList = request.child(0x5C);
    if (tagList.isPresent() && !java.util.Arrays.equals(tagList.get().value(), new byte[] {0x5A})) {
      return Es10Response.error(StatusWord.WRONG_DATA);
    }
    return Es10Response.ok(
        TlvWriter.encodeConstructed(0xBF3E, TlvWriter.encode(0x5A, eid.toBytes())));
  }

  /** EUICCInfo1: {@code BF20 { 82 svn, A9 {04 ski...}, AA {04 ski...} }}. */
  Es10Response info1() {
    return Es10Response.ok(
        TlvWriter.encodeConstructed(
            0xBF20,
            TlvWriter.encode(0x82, SVN),
            ciList(0xA9, services.ciPkIds()),
            ciList(0xAA, signingCiPkIds())));
  }

  /** EUICCInfo2 with the fields SGP.22 v2.2.2 makes mandatory, and the category. */
  Es10Response info2() {
    Chip chip = services.chips().get(eid);
    int installed = chip.locked(() -> chip.profiles().size());
    byte[] extCardResource =
        TlvWriter.concat(
            TlvWriter.encode(0x81, new byte[] {(byte) Math.min(installed, 255)}),
            TlvWriter.encode(0x82, new byte[] {0x00, 0x10, 0x00, 0x00}),
            TlvWriter.encode(0x83, new byte[] {0x00, 0x01, 0x00, 0x00}));
    return Es10Response.ok(
        TlvWriter.encodeConstructed(
            0xBF22,
            TlvWriter.encode(0x81, PROFILE_VERSION),
            TlvWriter.encode(0x82, SVN),
            TlvWriter.encode(0x83, FIRMWARE_VERSION),
            TlvWriter.encode(0x84, extCardResource),
            Ber.namedBits(0x85, ChipCapabilities.uiccBits()),
            // additionalProfile(0), testProfileSupport(3)
            Ber.namedBits(0x88, 0, 3),
            ciList(0xA9, services.ciPkIds()),
            ciList(0xAA, signingCiPkIds()),
            Ber.integer(0x8B, ChipCapabilities.CATEGORY.value()),
            TlvWriter.encode(0x04, PP_VERSION),
            Ber.utf8(0x0C, "")));
  }

  /** GetEuiccConfiguredAddresses: {@code BF3C { 81 rootDsAddress }} (no default SM-DP+). */
  Es10Response configuredAddresses() {
    return Es10Response.ok(
        TlvWriter.encodeConstructed(0xBF3C, Ber.utf8(0x81, services.rootDsAddress())));
  }

  /** GetRAT: an empty Rules Authorisation Table, {@code BF43 { A0 {} }}: no PPR is allowed. */
  Es10Response rat() {
    return Es10Response.ok(
        TlvWriter.encodeConstructed(0xBF43, TlvWriter.encode(0xA0, new byte[0])));
  }

  private static byte[] ciList(int tag, List<byte[]> ids) {
    byte[][] items = ids.stream().map(id -> TlvWriter.encode(0x04, id)).toArray(byte[][]::new);
    return TlvWriter.encodeConstructed(tag, items);
  }

  /**
   * The CI the chip's own certificate chains to (the EUM certificate's authority key id), which
   * signs what the chip signs; the trusted list when the chain does not say.
   */
  private List<byte[]> signingCiPkIds() {
    Chip chip = services.chips().get(eid);
    List<X509Certificate> chain = chip.identity().chain();
    List<byte[]> ids = new ArrayList<>();
    if (!chain.isEmpty()) {
      byte[] aki = authorityKeyId(chain.get(chain.size() - 1));
      if (aki != null) {
        ids.add(aki);
      }
    }
    return ids.isEmpty() ? services.ciPkIds() : ids;
  }

  private static byte[] authorityKeyId(X509Certificate certificate) {
    byte[] ext = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
    if (ext == null) {
      return null;
    }
    try {
      ASN1Primitive inner =
          ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(ext).getOctets());
      return AuthorityKeyIdentifier.getInstance(inner).getKeyIdentifier();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
