package org.ifpp.crypto.bsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ifpp.crypto.testing.Vectors.hex;
import static org.ifpp.crypto.testing.Vectors.secret;

import com.fasterxml.jackson.databind.JsonNode;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ec.Ecka;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.ids.HostId;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.testing.Vectors;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;
import org.junit.jupiter.api.Test;

/** Every ECDH, KDF and BSP entry of sgp22/bsp-known-answers.json (pySim, mode51 trace). */
class BspKnownAnswerTest {

  private final JsonNode kat = Vectors.bspKnownAnswers();

  @Test
  void ecdh_matchesKnownSharedSecret_andDerivesKnownPublicKey() {
    for (JsonNode c : kat.get("ecka")) {
      Curve curve = Curve.parse(c.get("curve").asText());
      try (OneTimeKeyPair dp = OneTimeKeyPair.fromPrivateScalar(curve, secret(c.get("otSkDp")));
          SecretBytes z =
              Ecka.sharedSecret(dp, EcPublicKey.fromUncompressed(curve, hex(c.get("otPkEuicc"))))) {
        assertThat(dp.publicKey().toUncompressed()).isEqualTo(hex(c.get("otPkDp")));
        assertThat(z.toByteArray(SecretAccess.GRANTED)).isEqualTo(hex(c.get("sharedSecretZ")));
      }
    }
  }

  @Test
  void kdf_bothCases_matchKnownKeys() {
    assertThat(kat.get("kdf")).hasSize(2);
    for (JsonNode c : kat.get("kdf")) {
      assertThat(c.get("keyType").asText()).isEqualTo("88");
      assertThat(c.get("keyLength").asInt()).isEqualTo(16);
      try (SecretBytes z = secret(c.get("sharedSecretZ"));
          SessionKeys keys = BspKdf.derive(z, HostId.of(hex(c.get("hostId"))), hex(c.get("eid")))) {
        assertThat(keys.initialMacChainingValue().toByteArray(SecretAccess.GRANTED))
            .isEqualTo(hex(c.get("initialMacChainingValue")));
        assertThat(keys.sEnc().toByteArray(SecretAccess.GRANTED)).isEqualTo(hex(c.get("sEnc")));
        assertThat(keys.sMac().toByteArray(SecretAccess.GRANTED)).isEqualTo(hex(c.get("sMac")));
      }
    }
  }

  @Test
  void bspSession_protectsEachStepExactly_countersAndChainCarryOver() {
    checkSession(kat.get("bspSession"));
  }

  @Test
  void ppkSession_protectsBothProfileSegmentsExactly() {
    JsonNode s = kat.get("ppkSession");
    for (JsonNode step : s.get("steps")) {
      assertThat(hex(step.get("plaintext"))).hasSize(BspChannel.MAX_SEGMENT_PLAINTEXT);
    }
    checkSession(s);
  }

  private static void checkSession(JsonNode s) {
    try (SessionKeys sender = keys(s);
        SessionKeys receiverKeys = keys(s);
        BspChannel out = BspChannel.start(sender);
        BspChannel in = BspChannel.start(receiverKeys)) {
      long counter = 1;
      for (JsonNode step : s.get("steps")) {
        int tag = Integer.parseInt(step.get("tag").asText(), 16);
        byte[] plain = hex(step.get("plaintext"));
        boolean encrypt = step.get("op").asText().equals("encryptAndMac");
        assertThat(out.nextBlockCounter()).isEqualTo(counter++);
        byte[] segment = encrypt ? out.encryptAndMac(tag, plain) : out.macOnly(tag, plain);
        assertThat(hex(segment)).isEqualTo(step.get("output").asText());
        var tlv = TlvReader.readSingle(segment, TlvLimits.DEFAULT);
        byte[] back = encrypt ? in.verifyAndDecrypt(tlv) : in.verifyMacOnly(tlv);
        assertThat(back).isEqualTo(plain);
      }
    }
  }

  private static SessionKeys keys(JsonNode s) {
    return SessionKeys.of(
        secret(s.get("initialMacChainingValue")), secret(s.get("sEnc")), secret(s.get("sMac")));
  }
}
