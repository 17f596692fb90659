package org.ifpp.crypto.pir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.pir.InstallationOutcome.ErrorResult;
import org.ifpp.crypto.pir.InstallationOutcome.SuccessResult;
import org.ifpp.crypto.pki.Certificates;
import org.ifpp.crypto.pki.JcaTestSigner;
import org.ifpp.crypto.pki.Sgp26;
import org.junit.jupiter.api.Test;

class ProfileInstallationResultTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final JcaTestSigner EUICC =
      new JcaTestSigner(Sgp26.privateKey("euicc-key.pem"), Curve.P256);
  private static final EcPublicKey EUICC_KEY =
      EcPublicKey.fromJca(Certificates.requireFromDer(Sgp26.der("euicc.der")).getPublicKey());

  /** Hand-encoded from SGP.22 5.5.3; lengths counted by hand (see the comments). */
  private static final String ERROR_DATA_HEX =
      "bf2736" // ProfileInstallationResultData, 54 bytes
          + "80080102030405060708" // transactionId
          + "bf2f1f" // notificationMetadata, 31 bytes
          + "800101" // seqNumber 1
          + "81020780" // profileManagementOperation: notificationInstall (bit 0)
          + "0c0a6b6d2e6578616d706c65" // notificationAddress "km.example"
          + "5a0a98101430121181157002" // iccid 89014103211118510720, swapped BCD
          + "a208a106" // finalResult [2] { errorResult [1]
          + "800105" // bppCommandId loadProfileElements
          + "810109"; // errorReason installFailedDueToIccidAlreadyExistsOnEuicc

  private static final String SUCCESS_DATA_HEX =
      "bf2742" // 66 bytes
          + "8010000102030405060708090a0b0c0d0e0f" // transactionId, 16 bytes
          + "bf2f0b" // 11 bytes
          + "8002012c" // seqNumber 300
          + "81020780"
          + "0c0161" // "a"
          + "06038837" // smdpOid 2.999.10 ...
          + "0a"
          + "a21ba019" // finalResult { successResult
          + "4f10a0000005591010ffffffff8900001000" // ISD-P AID
          + "04053003800100"; // simaResponse

  private static ProfileInstallationResult errorExample() {
    return new ProfileInstallationResult(
        TransactionId.fromHex("0102030405060708"),
        1,
        "km.example",
        Optional.of(Iccid.of("89014103211118510720")),
        new ErrorResult(
            BppCommandId.LOAD_PROFILE_ELEMENTS,
            ErrorReason.INSTALL_FAILED_DUE_TO_ICCID_ALREADY_EXISTS_ON_EUICC));
  }

  private static ProfileInstallationResult successExample() {
    return new ProfileInstallationResult(
        TransactionId.fromHex("000102030405060708090a0b0c0d0e0f"),
        300,
        "a",
        Optional.empty(),
        Optional.of("2.999.10"),
        new SuccessResult(
            HEX.parseHex("a0000005591010ffffffff8900001000"), HEX.parseHex("3003800100")));
  }

  @Test
  void errorReasonNames_areThoseOfSgp22() {
    assertThat(ErrorReason.INSTALL_FAILED_DUE_TO_ICCID_ALREADY_EXISTS_ON_EUICC.asn1Name())
        .isEqualTo("installFailedDueToIccidAlreadyExistsOnEuicc");
    assertThat(ErrorReason.SCP03T_SECURITY_ERROR.asn1Name()).isEqualTo("scp03tSecurityError");
    assertThat(ErrorReason.INVALID_SIGNATURE.asn1Name()).isEqualTo("invalidSignature");
  }

  @Test
  void errorResult_encodesByteExactly() {
    assertThat(HEX.formatHex(errorExample().encodeData())).isEqualTo(ERROR_DATA_HEX);
  }

  @Test
  void successResult_encodesByteExactly() {
    assertThat(HEX.formatHex(successExample().encodeData())).isEqualTo(SUCCESS_DATA_HEX);
  }

  @Test
  void signedResult_isBf37WithDataThenRawSignature() {
    byte[] encoded = errorExample().sign(EUICC).encoded();
    String hex = HEX.formatHex(encoded);
    assertThat(hex).startsWith("bf377c" + ERROR_DATA_HEX + "5f3740");
    assertThat(encoded).hasSize(3 + 57 + 3 + 64);
  }

  @Test
  void successAndErrorForms_roundTrip_andVerifyWithTheEuiccKey() {
    for (ProfileInstallationResult pir :
        new ProfileInstallationResult[] {errorExample(), successExample()}) {
      SignedProfileInstallationResult signed = pir.sign(EUICC);

      PirVerification verification = PirVerifier.verify(signed.encoded(), EUICC_KEY);

      assertThat(verification).isInstanceOf(PirVerification.Verified.class);
      SignedProfileInstallationResult parsed = ((PirVerification.Verified) verification).result();
      assertThat(parsed.result()).isEqualTo(pir);
      assertThat(parsed.data()).isEqualTo(pir.encodeData());
      assertThat(parsed.signature()).isEqualTo(signed.signature());
    }
  }

  @Test
  void errorResultWithSimaResponse_roundTrips() {
    ProfileInstallationResult pir =
        new ProfileInstallationResult(
            TransactionId.fromHex("ff"),
            0,
            "keymaker.example.com",
            Optional.empty(),
            new ErrorResult(
                BppCommandId.INITIALISE_SECURE_CHANNEL,
                ErrorReason.IFPP_DISABLED,
                Optional.of(new byte[] {0x30, 0x00})));
    PirParseResult parsed = PirStructure.check(pir.sign(EUICC).encoded());
    assertThat(((PirParseResult.Parsed) parsed).result().result()).isEqualTo(pir);
  }

  @Test
  void everyFlippedByte_isRejected() {
    byte[] encoded = successExample().sign(EUICC).encoded();
    for (int i = 0; i < encoded.length; i++) {
      for (int bit : new int[] {0x01}) {
        byte[] tampered = encoded.clone();
        tampered[i] ^= (byte) bit;
        assertThat(PirVerifier.verify(tampered, EUICC_KEY).isVerified())
            .as("byte %d bit %02x", i, bit)
            .isFalse();
      }
    }
  }

  @Test
  void anotherEuiccsKey_isInvalidSignature() {
    EcPublicKey other =
        EcPublicKey.fromJca(
            Certificates.requireFromDer(Sgp26.der("CERT_S_SM_DPpb_ECDSA_NIST.der")).getPublicKey());
    assertThat(PirVerifier.verify(errorExample().sign(EUICC).encoded(), other))
        .isEqualTo(
            new PirVerification.Rejected(
                PirError.INVALID_SIGNATURE, "euiccSignPIR does not verify"));
  }

  @Test
  void everyTruncation_isMalformedEncoding() {
    byte[] encoded = errorExample().sign(EUICC).encoded();
    for (int length = 0; length < encoded.length; length++) {
      assertThat(error(Arrays.copyOf(encoded, length))).isEqualTo(PirError.MALFORMED_ENCODING);
    }
  }

  @Test
  void trailingByteAndLongFormLength_areMalformedEncoding() {
    byte[] encoded = errorExample().sign(EUICC).encoded();
    assertThat(error(Arrays.copyOf(encoded, encoded.length + 1)))
        .isEqualTo(PirError.MALFORMED_ENCODING);
    byte[] longForm = new byte[encoded.length + 1];
    longForm[0] = (byte) 0xbf;
    longForm[1] = 0x37;
    longForm[2] = (byte) 0x81; // 81 7C instead of 7C: BER, not DER
    System.arraycopy(encoded, 2, longForm, 3, encoded.length - 2);
    assertThat(error(longForm)).isEqualTo(PirError.MALFORMED_ENCODING);
    assertThat(error(null)).isEqualTo(PirError.MALFORMED_ENCODING);
  }

  @Test
  void unknownErrorReason_isUnknownCode() {
    String data = ERROR_DATA_HEX.replace("810109", "810137");
    assertThat(error(signed(data, 64))).isEqualTo(PirError.UNKNOWN_CODE);
  }

  @Test
  void enableEventInsteadOfInstall_isInvalidValue() {
    String data = ERROR_DATA_HEX.replace("81020780", "81020640");
    assertThat(error(signed(data, 64))).isEqualTo(PirError.INVALID_VALUE);
  }

  @Test
  void shortSignature_isInvalidValue() {
    assertThat(error(signed(ERROR_DATA_HEX, 63))).isEqualTo(PirError.INVALID_VALUE);
  }

  @Test
  void missingFinalResult_isUnexpectedStructure() {
    String data = "bf272c" + ERROR_DATA_HEX.substring(6, ERROR_DATA_HEX.indexOf("a208"));
    assertThat(error(signed(data, 64))).isEqualTo(PirError.UNEXPECTED_STRUCTURE);
  }

  @Test
  void deeplyNestedInput_isMalformedEncoding() {
    byte[] nested = new byte[200_000];
    for (int i = 0; i < nested.length; i += 2) {
      nested[i] = 0x30;
      nested[i + 1] = (byte) 0x80; // indefinite length, BER
    }
    assertThat(error(nested)).isEqualTo(PirError.MALFORMED_ENCODING);
    byte[] definite = {};
    for (int depth = 0; depth < 10_000; depth++) {
      definite = wrapInSequence(definite);
    }
    assertThat(error(definite)).isEqualTo(PirError.MALFORMED_ENCODING);
  }

  private static byte[] wrapInSequence(byte[] content) {
    int n = content.length;
    byte[] length =
        n < 0x80
            ? new byte[] {(byte) n}
            : n < 0x100
                ? new byte[] {(byte) 0x81, (byte) n}
                : n < 0x10000
                    ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
                    : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    byte[] out = new byte[1 + length.length + n];
    out[0] = 0x30;
    System.arraycopy(length, 0, out, 1, length.length);
    System.arraycopy(content, 0, out, 1 + length.length, n);
    return out;
  }

  @Test
  void randomMutations_neverThrow() {
    byte[] encoded = successExample().sign(EUICC).encoded();
    Random random = new Random(42);
    for (int round = 0; round < 300; round++) {
      byte[] mutated = encoded.clone();
      for (int n = random.nextInt(4) + 1; n > 0; n--) {
        mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
      }
      boolean changed = !Arrays.equals(mutated, encoded);
      assertThat(PirVerifier.verify(mutated, EUICC_KEY).isVerified()).isEqualTo(!changed);
    }
  }

  /** BF37 around hand-written data and a dummy signature of {@code signatureLength} bytes. */
  private static byte[] signed(String dataHex, int signatureLength) {
    byte[] data = HEX.parseHex(dataHex);
    int length = data.length + 3 + signatureLength;
    byte[] out = new byte[3 + length];
    out[0] = (byte) 0xbf;
    out[1] = 0x37;
    out[2] = (byte) length;
    System.arraycopy(data, 0, out, 3, data.length);
    out[3 + data.length] = 0x5f;
    out[4 + data.length] = 0x37;
    out[5 + data.length] = (byte) signatureLength;
    Arrays.fill(out, 6 + data.length, out.length, (byte) 0x11);
    return out;
  }

  private static PirError error(byte[] bytes) {
    PirParseResult result = PirStructure.check(bytes);
    assertThat(result).isInstanceOf(PirParseResult.Malformed.class);
    return ((PirParseResult.Malformed) result).error();
  }
}
