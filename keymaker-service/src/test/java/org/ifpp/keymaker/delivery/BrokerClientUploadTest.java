package org.ifpp.keymaker.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The binary upload's header carries the typed ids and the package's one-time key as the broker
 * reads them.
 */
class BrokerClientUploadTest {

  private static final Duration SECOND = Duration.ofSeconds(1);

  @Test
  void header_carriesTheEidDigitsTheTransactionIdAndOneTimeKeyHex_thenThePackagesRaw() {
    JsonMapper json = JsonMapper.builder().build();
    BrokerClient client =
        new BrokerClient(
            new BrokerProperties("http://127.0.0.1:1", "t", "F1", 200, SECOND, SECOND, SECOND, 1),
            json);
    Eid eid = Eid.of("89049032123451234512345678901235");
    TransactionId tx = TransactionId.fromHex("0a1b2c3d");
    byte[] bpp = {(byte) 0xBF, 0x36, 0x01, 0x00};
    byte[] otpk = new byte[65];
    otpk[0] = 0x04;
    otpk[64] = (byte) 0xAB;
    byte[] body =
        client.binary(
            new BrokerClient.UploadBatch(
                "B1",
                "F1",
                null,
                "Y2VydA==",
                List.of(new BrokerClient.PackageUpload(eid, tx, "L1", otpk, bpp))));

    ByteBuffer b = ByteBuffer.wrap(body);
    byte[] header = new byte[b.getInt()];
    b.get(header);
    JsonNode p = json.readTree(header).get("packages").get(0);
    assertThat(p.get("eid").asString()).isEqualTo("89049032123451234512345678901235");
    assertThat(p.get("transactionId").asString()).isEqualTo("0A1B2C3D");
    assertThat(p.get("targetLine").asString()).isEqualTo("L1");
    assertThat(p.get("bppEuiccOtpk").asString()).isEqualTo("04" + "00".repeat(63) + "AB");
    assertThat(p.has("boundProfilePackage")).isFalse();
    assertThat(Arrays.copyOfRange(body, body.length - bpp.length, body.length)).isEqualTo(bpp);
  }
}
