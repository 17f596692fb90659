package org.ifpp.euicc.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ifpp.euicc.card.Asn1Schema.decodeStrictly;

import java.nio.file.Path;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.ifpp.crypto.bpp.BoundProfilePackageBuilder;
import org.ifpp.crypto.bpp.BppEuiccOtpk;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.tlv.TlvWriter;
import org.ifpp.euicc.loading.LoadFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's bppEuiccOtpk decodes as SGP.22's field: inside SmdpSigned2, where the published
 * ASN.1 defines it ([APPLICATION 73] OCTET STRING OPTIONAL), strictly and re-encoding to the same
 * bytes; and a SmdpSigned2 without it (the field is OPTIONAL) decodes too.
 */
class BppEuiccOtpkAsn1Test {

  @TempDir Path dir;

  @Test
  void engineOutput_decodesAsSmdpSigned2sBppEuiccOtpk() {
    LoadFixture sim = new LoadFixture(dir);
    Eid eid = sim.newChip();
    BppEuiccOtpk named =
        BoundProfilePackageBuilder.bind(
                sim.keyMakerSigner, LoadFixture.HOST_ID, eid, sim.unusedKey(eid, 0))
            .bppEuiccOtpk();
    TransactionId tx = TransactionId.random(sim.random);
    byte[] withField = smdpSigned2(tx, named.encode());
    ASN1Sequence seq = (ASN1Sequence) decodeStrictly(withField, Sgp22Asn1.SMDP_SIGNED2);
    ASN1TaggedObject field = (ASN1TaggedObject) seq.getObjectAt(2);
    assertThat(field.getTagClass()).isEqualTo(BERTags.APPLICATION);
    assertThat(field.getTagNo()).isEqualTo(73);
    assertThat(
            ((org.bouncycastle.asn1.ASN1OctetString)
                    field.getBaseUniversal(false, BERTags.OCTET_STRING))
                .getOctets())
        .isEqualTo(sim.unusedKey(eid, 0).toUncompressed());
    decodeStrictly(smdpSigned2(tx, new byte[0]), Sgp22Asn1.SMDP_SIGNED2);
    // another tag in its place: the schema refuses it (so the check can fail)
    byte[] wrongTag = named.encode();
    wrongTag[1] = 0x4A;
    assertThatThrownBy(() -> decodeStrictly(smdpSigned2(tx, wrongTag), Sgp22Asn1.SMDP_SIGNED2))
        .isInstanceOf(AssertionError.class);
  }

  private static byte[] smdpSigned2(TransactionId tx, byte[] bppEuiccOtpk) {
    return TlvWriter.encode(
        0x30,
        TlvWriter.concat(
            TlvWriter.encode(0x80, tx.toBytes()),
            TlvWriter.encode(0x01, new byte[] {0}),
            bppEuiccOtpk));
  }
}
