package org.ifpp.keymaker.testing;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.euiccdata.EuiccData;
import org.ifpp.crypto.euiccdata.EuiccInfo2;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.pir.BppCommandId;
import org.ifpp.crypto.pir.ErrorReason;
import org.ifpp.crypto.pir.InstallationOutcome;
import org.ifpp.crypto.pir.ProfileInstallationResult;
import org.ifpp.crypto.pki.DevelopmentCredential;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.signing.Signer;
import org.ifpp.crypto.signing.SoftwareSigner;
import org.ifpp.crypto.testing.TestEuicc;

/**
 * Simulated chips made by a test EUM under the test CI: each with its certificate, its signing key
 * and one-time keys (the engine's {@link TestEuicc}), exported as eUICC data and able to sign
 * installation results.
 */
public final class TestChips {

  private static final SecureRandom RANDOM = new SecureRandom();
  public static final DevelopmentCredential EUM =
      TestHsm.PKI.issueEum(TestHsm.CI_CREDENTIAL, Curve.P256, "IFPP Test EUM", "89049032");

  private TestChips() {}

  /** One simulated chip. */
  public record Chip(Eid eid, TestEuicc euicc, DevelopmentCredential certificate, Signer signer) {

    /** The eUICC data record (DER, E1) the EUM exports for this chip. */
    public byte[] euiccData() {
      return data().encode();
    }

    /** The eUICC data, without capabilities (as exported before EUICCInfo2 was carried). */
    public EuiccData data() {
      List<EcPublicKey> keys = new ArrayList<>();
      for (int i = 0; i < euicc.unusedOneTimeKeys().size(); i++) {
        keys.add(euicc.oneTimeKey(i));
      }
      return EuiccData.produce(
          eid, certificate.certificateDer(), EUM.certificateDer(), keys, signer);
    }

    /** The eUICC data with these capabilities, signed by the chip. */
    public byte[] euiccData(EuiccInfo2 capabilities) {
      return data().withEuiccInfo2(capabilities, signer).encode();
    }

    /** The JSON import entry for this chip, with these capabilities. */
    public Map<String, String> filed(EuiccInfo2 capabilities) {
      return Map.of(
          "eid", eid.value(), "data", Base64.getEncoder().encodeToString(euiccData(capabilities)));
    }

    /** The JSON import entry for this chip. */
    public Map<String, String> filed() {
      return Map.of("eid", eid.value(), "data", Base64.getEncoder().encodeToString(euiccData()));
    }

    /** A signed success result (BF37) for {@code tx}. */
    public byte[] success(TransactionId tx, Iccid iccid) {
      return new ProfileInstallationResult(
              tx,
              1,
              "keymaker.ifpp.example",
              Optional.of(iccid),
              new InstallationOutcome.SuccessResult(
                  new byte[] {(byte) 0xA0, 0, 0, 5, 0x59, 0x10, 0x10, 1}, new byte[0]))
          .sign(signer)
          .encoded();
    }

    /** A signed failure result for {@code tx}. */
    public byte[] failure(TransactionId tx) {
      return new ProfileInstallationResult(
              tx,
              2,
              "keymaker.ifpp.example",
              Optional.empty(),
              new InstallationOutcome.ErrorResult(
                  BppCommandId.LOAD_PROFILE_ELEMENTS,
                  ErrorReason.INSTALL_FAILED_DUE_TO_ICCID_ALREADY_EXISTS_ON_EUICC))
          .sign(signer)
          .encoded();
    }
  }

  /** A new chip with {@code keys} one-time keys; {@code serial} makes the EID (< 10^22). */
  public static Chip chip(long serial, int keys) {
    return chip(serial, keys, Curve.P256);
  }

  /** A chip whose certificate key and one-time keys are on {@code curve} (EUM and CI: P-256). */
  public static Chip chip(long serial, int keys, Curve curve) {
    Eid eid = Eid.withCheckDigits("89049032" + String.format("%022d", serial));
    DevelopmentCredential cert = TestHsm.PKI.issueEuicc(EUM, curve, eid);
    TestEuicc euicc = new TestEuicc(eid, TestHsm.CI.certificate(), curve, keys, RANDOM);
    BigInteger s = ((ECPrivateKey) cert.privateKey()).getS();
    byte[] scalar = new byte[32];
    byte[] raw = s.toByteArray();
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, scalar, 32 - n, n);
    Signer signer = SoftwareSigner.fromScalar(curve, SecretBytes.adopt(scalar), RANDOM);
    return new Chip(eid, euicc, cert, signer);
  }
}
