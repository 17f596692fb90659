package org.ifpp.euicc.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.ifpp.crypto.bpp.BoundProfilePackageBuilder;
import org.ifpp.crypto.bpp.BppEuiccOtpk;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.tlv.TlvWriter;
import org.ifpp.euicc.card.asn1.rspdefinitions.SmdpSigned2;
import org.ifpp.euicc.loading.LoadFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's bppEuiccOtpk decodes as SGP.22's field: inside SmdpSigned2, where the ASN.1 defines
 * it ([APPLICATION 73] OCTET STRING OPTIONAL; compiled from src/test/asn1), re-encoding to the same
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
    SmdpSigned2 decoded = Sgp22Der.decode(withField, SmdpSigned2::new);
    assertThat(decoded.getBppEuiccOtpk().value).isEqualTo(sim.unusedKey(eid, 0).toUncompressed());
    assertThat(Sgp22Der.decode(smdpSigned2(tx, new byte[0]), SmdpSigned2::new).getBppEuiccOtpk())
        .isNull();
    // another tag in its place: the schema refuses it (so the check can fail)
    byte[] wrongTag = named.encode();
    wrongTag[1] = 0x4A;
    assertThatThrownBy(() -> Sgp22Der.decode(smdpSigned2(tx, wrongTag), SmdpSigned2::new))
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
