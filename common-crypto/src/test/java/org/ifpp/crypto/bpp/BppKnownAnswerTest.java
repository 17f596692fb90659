package org.ifpp.crypto.bpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ifpp.crypto.testing.Vectors.hex;
import static org.ifpp.crypto.testing.Vectors.secret;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.ifpp.crypto.bsp.SessionKeys;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.HostId;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.pir.BppCommandId;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.signing.EcdsaVerification;
import org.ifpp.crypto.signing.SoftwareSigner;
import org.ifpp.crypto.testing.Vectors;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvWriter;
import org.junit.jupiter.api.Test;

/** The full-package entries of sgp22/bsp-known-answers.json. */
class BppKnownAnswerTest {

  private final JsonNode kat = Vectors.bspKnownAnswers();

  @Test
  void fullBpp_nestedForm_decodesToExpectedProfile() throws Exception {
    JsonNode f = kat.get("fullBppDecode");
    BoundProfilePackage bpp =
        BoundProfilePackage.parse(Vectors.base64(f.get("boundProfilePackageBase64")));
    assertThat(bpp.form()).isEqualTo(BoundProfilePackage.Form.NESTED);
    assertThat(bpp.hasReplaceSessionKeys()).isFalse();
    assertThat(bpp.profileElementSegments()).hasSize(13);
    JsonNode sk = f.get("sessionKeys");
    JsonNode pk = f.get("ppk");
    try (SessionKeys session =
            SessionKeys.of(
                secret(sk.get("initialMacChainingValue")),
                secret(sk.get("sEnc")),
                secret(sk.get("sMac")));
        ProfileProtectionKeys ppks =
            ProfileProtectionKeys.restore(
                secret(pk.get("sEnc")),
                secret(pk.get("sMac")),
                secret(pk.get("initialMacChainingValue")));
        DecodedBoundProfilePackage decoded =
            BoundProfilePackageDecoder.decode(bpp, session, ppks)) {
      assertThat(decoded.configureIsdp().encode())
          .isEqualTo(hex(f.get("expectedConfigureIsdpPlain")));
      assertThat(decoded.storeMetadata().encode())
          .isEqualTo(hex(f.get("expectedStoreMetadataPlain")));
      byte[] expected = Vectors.base64(f.get("expectedUnprotectedProfilePackageBase64"));
      assertThat(decoded.profile().toByteArray(SecretAccess.GRANTED)).isEqualTo(expected);
      try (UnprotectedProfilePackage upp = UnprotectedProfilePackage.parse(expected)) {
        assertThat(upp.iccid()).isEqualTo(Iccid.of("89000123456789012341"));
      }
    }
  }

  @Test
  void fullBpp_wrongPpks_failAtLoadProfileElements() throws Exception {
    JsonNode f = kat.get("fullBppDecode");
    BoundProfilePackage bpp =
        BoundProfilePackage.parse(Vectors.base64(f.get("boundProfilePackageBase64")));
    JsonNode sk = f.get("sessionKeys");
    try (SessionKeys session =
        SessionKeys.of(
            secret(sk.get("initialMacChainingValue")),
            secret(sk.get("sEnc")),
            secret(sk.get("sMac")))) {
      // Without A2 and without external PPKs, A3 continues the session channel: MAC fails.
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> BoundProfilePackageDecoder.decode(bpp, session))
          .isInstanceOfSatisfying(
              BppDecodeException.class,
              e -> {
                assertThat(e.commandId()).isEqualTo(BppCommandId.LOAD_PROFILE_ELEMENTS);
                assertThat(e.kind()).isEqualTo(BppDecodeException.Kind.SECURITY);
              });
    }
  }

  /**
   * A PPK-mode binding from the KAT's inputs (otSK.DP, otPK.EUICC, hostId, EID, metadata, PPKs)
   * reproduces the mode51 trace's A0, A1 and A2 segments byte for byte; A3 carries the stored PPK
   * segments untouched.
   */
  @Test
  void ppkModeBinding_fromKatInputs_reproducesTraceSegments() throws Exception {
    JsonNode ecka = kat.get("ecka").get(0);
    JsonNode kdf = kat.get("kdf").get(1);
    JsonNode steps = kat.get("bspSession").get("steps");
    JsonNode ppkSession = kat.get("ppkSession");
    EcPublicKey otPkEuicc = EcPublicKey.fromUncompressed(Curve.P256, hex(ecka.get("otPkEuicc")));
    byte[] seg0 = hex(ppkSession.get("steps").get(0).get("output"));
    byte[] seg1 = hex(ppkSession.get("steps").get(1).get("output"));
    ProtectedProfilePackage ppp =
        ProtectedProfilePackage.decode(
            TlvWriter.encodeConstructed(
                0x30,
                TlvWriter.encode(0x5A, Iccid.of("89000123456789012341").toBytes()),
                TlvWriter.encodeConstructed(0xA3, seg0, seg1)));
    SoftwareSigner signer =
        SoftwareSigner.deterministicFromPem(
            Vectors.readString("sgp26-certs/SK_S_SM_DPpb_ECDSA_NIST.pem"));
    try (ProfileProtectionKeys ppks =
        ProfileProtectionKeys.restore(
            secret(ppkSession.get("sEnc")),
            secret(ppkSession.get("sMac")),
            secret(ppkSession.get("initialMacChainingValue")))) {
      // Every build below uses the vector's inputs: the same ephemeral key, transactionId,
      // metadata.
      StoreMetadataRequest metadata =
          StoreMetadataRequest.parse(hex(steps.get(1).get("plaintext")));
      java.util.function.BiFunction<OneTimeKeyPair, Boolean, BoundProfilePackage> bindWith =
          (eph, selfCheck) ->
              BoundProfilePackageBuilder.bind(
                      signer,
                      HostId.of(hex(kdf.get("hostId"))),
                      Eid.of(kdf.get("eid").asText()),
                      otPkEuicc)
                  .ppkMode(ppp, ppks)
                  .ephemeralKey(eph)
                  .transactionId(TransactionId.fromHex("00112233445566778899aabbccddeeff"))
                  .metadata(metadata)
                  .selfCheck(selfCheck)
                  .build();
      OneTimeKeyPair eph = OneTimeKeyPair.fromPrivateScalar(Curve.P256, secret(ecka.get("otSkDp")));
      BoundProfilePackage bpp = bindWith.apply(eph, true);
      assertThat(eph.isDestroyed()).isTrue();
      assertThat(bpp.form()).isEqualTo(BoundProfilePackage.Form.FLAT);
      assertThat(encodings(bpp.configureIsdpSegments()))
          .containsExactly(steps.get(0).get("output").asText());
      assertThat(encodings(bpp.storeMetadataSegments()))
          .containsExactly(steps.get(1).get("output").asText());
      assertThat(Vectors.hex(bpp.replaceSessionKeysSegment().orElseThrow().encoded()))
          .isEqualTo(steps.get(2).get("output").asText());
      assertThat(encodings(bpp.profileElementSegments()))
          .containsExactly(Vectors.hex(seg0), Vectors.hex(seg1));
      InitialiseSecureChannelRequest isc = bpp.initialiseSecureChannel();
      assertThat(isc.otPkDpBytes()).isEqualTo(hex(ecka.get("otPkDp")));
      EcPublicKey dpKey =
          EcPublicKey.fromJca(
              java.security.cert.CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new java.io.ByteArrayInputStream(
                          Vectors.read("sgp26-certs/CERT_S_SM_DPpb_ECDSA_NIST.der")))
                  .getPublicKey());
      assertThat(EcdsaVerification.verifyRaw(dpKey, isc.signedData(otPkEuicc), isc.signature()))
          .isTrue();
      // Deterministic signer + fixed inputs: the whole package is reproducible.
      BoundProfilePackage again =
          bindWith.apply(
              OneTimeKeyPair.fromPrivateScalar(Curve.P256, secret(ecka.get("otSkDp"))), true);
      assertThat(again.encode()).isEqualTo(bpp.encode());
      // Without the self-check re-parse: the same bytes and the same parts.
      BoundProfilePackage unchecked =
          bindWith.apply(
              OneTimeKeyPair.fromPrivateScalar(Curve.P256, secret(ecka.get("otSkDp"))), false);
      assertThat(unchecked.encode()).isEqualTo(bpp.encode());
      assertThat(unchecked).isEqualTo(BoundProfilePackage.parse(unchecked.encode()));
      assertThat(encodings(unchecked.configureIsdpSegments()))
          .isEqualTo(encodings(bpp.configureIsdpSegments()));
      assertThat(encodings(unchecked.storeMetadataSegments()))
          .isEqualTo(encodings(bpp.storeMetadataSegments()));
      assertThat(unchecked.replaceSessionKeysSegment().orElseThrow().encoded())
          .isEqualTo(bpp.replaceSessionKeysSegment().orElseThrow().encoded());
      assertThat(encodings(unchecked.profileElementSegments()))
          .containsExactly(Vectors.hex(seg0), Vectors.hex(seg1));
      assertThat(unchecked.initialiseSecureChannel().signature()).isEqualTo(isc.signature());
      assertThat(unchecked.form()).isEqualTo(BoundProfilePackage.Form.FLAT);
      // The package ends with the stored A3 element, as does the storage encoding.
      byte[] all = bpp.encode();
      byte[] stored = ppp.encode();
      int a3 = ppp.a3Length();
      assertThat(java.util.Arrays.copyOfRange(all, all.length - a3, all.length))
          .isEqualTo(java.util.Arrays.copyOfRange(stored, stored.length - a3, stored.length))
          .startsWith((byte) 0xA3);
    }
  }

  /** Session-key mode from the same inputs: A0 and A1 are the trace's first two segments. */
  @Test
  void sessionModeBinding_fromKatInputs_reproducesTraceA0AndA1() throws Exception {
    JsonNode ecka = kat.get("ecka").get(0);
    JsonNode kdf = kat.get("kdf").get(1);
    JsonNode steps = kat.get("bspSession").get("steps");
    EcPublicKey otPkEuicc = EcPublicKey.fromUncompressed(Curve.P256, hex(ecka.get("otPkEuicc")));
    try (UnprotectedProfilePackage upp =
        UnprotectedProfilePackage.parse(
            org.ifpp.crypto.testing.Profiles.tiny("89000123456789012341"))) {
      BoundProfilePackage bpp =
          BoundProfilePackageBuilder.bind(
                  TestIdentitiesHolder.SIGNER,
                  HostId.of(hex(kdf.get("hostId"))),
                  Eid.of(kdf.get("eid").asText()),
                  otPkEuicc)
              .sessionKeyMode(upp)
              .ephemeralKey(
                  OneTimeKeyPair.fromPrivateScalar(Curve.P256, secret(ecka.get("otSkDp"))))
              .metadata(StoreMetadataRequest.parse(hex(steps.get(1).get("plaintext"))))
              .build();
      assertThat(bpp.hasReplaceSessionKeys()).isFalse();
      assertThat(encodings(bpp.configureIsdpSegments()))
          .containsExactly(steps.get(0).get("output").asText());
      assertThat(encodings(bpp.storeMetadataSegments()))
          .containsExactly(steps.get(1).get("output").asText());
    }
  }

  private static final class TestIdentitiesHolder {
    static final SoftwareSigner SIGNER =
        SoftwareSigner.deterministicFromPem(
            Vectors.readString("sgp26-certs/SK_S_SM_DPpb_ECDSA_NIST.pem"));
  }

  private static List<String> encodings(List<Tlv> segs) {
    return segs.stream().map(t -> Vectors.hex(t.encoded())).toList();
  }
}
