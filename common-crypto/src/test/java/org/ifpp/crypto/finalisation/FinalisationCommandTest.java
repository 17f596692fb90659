package org.ifpp.crypto.finalisation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.signing.SoftwareSigner;
import org.junit.jupiter.api.Test;

class FinalisationCommandTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Eid EID = Eid.of("89049032123451234512345678901235");
  private final OneTimeKeyPair deviceMaker = OneTimeKeyPair.generate(Curve.P256, RANDOM);
  private final OneTimeKeyPair other = OneTimeKeyPair.generate(Curve.P256, RANDOM);

  private SoftwareSigner signer(OneTimeKeyPair k) {
    try (SecretBytes s = k.exportPrivateScalar(SecretAccess.GRANTED)) {
      return SoftwareSigner.fromScalar(Curve.P256, s, RANDOM);
    }
  }

  @Test
  void encoding_isTheDocumentedBytes() {
    byte[] data = new FinalisationCommand(EID, 1).data();
    assertThat(HexFormat.of().formatHex(data))
        .isEqualTo("bf7c15" + "5a10" + "89049032123451234512345678901235" + "800101");
    byte[] encoded = new FinalisationCommand(EID, 128).sign(signer(deviceMaker)).encoded();
    assertThat(HexFormat.of().formatHex(encoded)).startsWith("bf7a5c" + "bf7c16");
    assertThat(HexFormat.of().formatHex(encoded)).contains("80020080" + "5f3740");
  }

  @Test
  void signedCommand_roundTripsAndVerifiesOnlyUnderTheDeviceMakerKey() {
    SignedFinalisationCommand signed = new FinalisationCommand(EID, 7).sign(signer(deviceMaker));
    SignedFinalisationCommand parsed = SignedFinalisationCommand.parse(signed.encoded());
    assertThat(parsed.command()).isEqualTo(new FinalisationCommand(EID, 7));
    assertThat(parsed.verify(deviceMaker.publicKey())).isTrue();
    assertThat(parsed.verify(other.publicKey())).isFalse();
  }

  @Test
  void changedCounter_doesNotVerify() {
    byte[] encoded = new FinalisationCommand(EID, 7).sign(signer(deviceMaker)).encoded();
    int at = HexFormat.of().formatHex(encoded).indexOf("800107") / 2 + 2;
    encoded[at] = 8;
    SignedFinalisationCommand parsed = SignedFinalisationCommand.parse(encoded);
    assertThat(parsed.command().counter()).isEqualTo(8);
    assertThat(parsed.verify(deviceMaker.publicKey())).isFalse();
  }

  @Test
  void malformedCommands_areRefusedWithAReason() {
    byte[] good = new FinalisationCommand(EID, 7).sign(signer(deviceMaker)).encoded();
    byte[] wrongTag = good.clone();
    wrongTag[1] = 0x7B;
    byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
    byte[] zeroCounter = good.clone();
    zeroCounter[HexFormat.of().formatHex(good).indexOf("800107") / 2 + 2] = 0;
    for (byte[] bad :
        new byte[][] {
          new byte[0], wrongTag, trailing, zeroCounter, HexFormat.of().parseHex("bf7a00")
        }) {
      assertThatThrownBy(() -> SignedFinalisationCommand.parse(bad))
          .isInstanceOf(MalformedFinalisationException.class);
    }
  }

  @Test
  void commandWithoutSignature_isUnsigned() {
    byte[] data = new FinalisationCommand(EID, 7).data();
    byte[] unsigned =
        org.ifpp.crypto.tlv.TlvWriter.encodeConstructed(FinalisationCommand.TAG, data);
    assertThatThrownBy(() -> SignedFinalisationCommand.parse(unsigned))
        .isInstanceOfSatisfying(
            MalformedFinalisationException.class, e -> assertThat(e.unsigned()).isTrue());
  }

  @Test
  void nonMinimalOrNegativeCounter_isMalformed() {
    for (String counter : new String[] {"80020001", "8001ff", "80080000000000000001"}) {
      byte[] data =
          HexFormat.of()
              .parseHex(
                  "bf7c"
                      + Integer.toHexString(18 + counter.length() / 2)
                      + "5a10"
                      + EID.value()
                      + counter);
      byte[] cmd = SignedTlv.encode(FinalisationCommand.TAG, data, new byte[64]);
      assertThatThrownBy(() -> SignedFinalisationCommand.parse(cmd))
          .isInstanceOf(MalformedFinalisationException.class);
    }
  }

  @Test
  void receipt_roundTripsAndVerifiesOnlyUnderTheEuiccKey() {
    SignedFinalisationReceipt signed =
        new FinalisationReceipt(EID, 7, 3, true).sign(signer(deviceMaker));
    assertThat(HexFormat.of().formatHex(signed.encoded()))
        .startsWith("bf7b61" + "bf7d1b" + "5a10" + EID.value() + "800107" + "810103" + "8201ff");
    SignedFinalisationReceipt parsed = SignedFinalisationReceipt.parse(signed.encoded());
    assertThat(parsed.receipt()).isEqualTo(new FinalisationReceipt(EID, 7, 3, true));
    assertThat(parsed.verify(deviceMaker.publicKey())).isTrue();
    assertThat(parsed.verify(other.publicKey())).isFalse();
    byte[] command = new FinalisationCommand(EID, 7).sign(signer(deviceMaker)).encoded();
    assertThatThrownBy(() -> SignedFinalisationReceipt.parse(command))
        .isInstanceOf(MalformedFinalisationException.class);
  }
}
