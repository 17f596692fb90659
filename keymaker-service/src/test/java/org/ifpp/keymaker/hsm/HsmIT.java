package org.ifpp.keymaker.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.signing.EcdsaVerification;
import org.ifpp.keymaker.testing.TestHsm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The keystore layer against a real SoftHSM token (created per run by softhsm-token.sh). */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class HsmIT {

  static Pkcs11Token token;
  static HsmSigner signer;
  static KeyEncryptionKey kek;

  @BeforeAll
  static void bootstrap() {
    token = Pkcs11Token.open(TestHsm.properties());
    new HsmBootstrap(token).initialise(Curve.P256, TestHsm.testCi(), false);
    signer = new HsmSigner(token);
    kek = new KeyEncryptionKey(token);
  }

  @Test
  void keysLiveInTheToken_andNeverRevealTheirValue() {
    PrivateKey key = token.privateKey(token.properties().signingKeyLabel());
    assertThat(key.getEncoded()).isNull();
    assertThat(key.toString()).contains("token object").contains("sensitive");
    assertThat(token.secretKey(token.properties().kekLabel()).getEncoded()).isNull();
  }

  @Test
  void signature_isRawRs_andVerifiesUnderTheCertificateKey() {
    byte[] message = "smdpSign input".getBytes(StandardCharsets.US_ASCII);
    byte[] sig = signer.sign(message);
    assertThat(sig).hasSize(64);
    EcPublicKey pub = EcPublicKey.fromJca(signer.certificateChain()[0].getPublicKey());
    assertThat(EcdsaVerification.verifyRaw(pub, message, sig)).isTrue();
  }

  @Test
  void parallelSigning_fromManyThreads_givesOnlyValidSignatures() throws Exception {
    EcPublicKey pub = signer.publicKey();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 800; i++) {
        byte[] m = ("message " + i).getBytes(StandardCharsets.US_ASCII);
        results.add(pool.submit(() -> EcdsaVerification.verifyRaw(pub, m, signer.sign(m))));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void kek_roundTrips_andRejectsAnotherOwnerOrATamperedCiphertext() {
    byte[] ppks = new byte[48];
    new java.security.SecureRandom().nextBytes(ppks);
    byte[] aad = "89000000000000000001".getBytes(StandardCharsets.US_ASCII);
    try (SecretBytes secret = SecretBytes.copyOf(ppks)) {
      WrappedSecret wrapped = kek.wrap(secret, aad);
      assertThat(wrapped.ciphertext()).hasSize(48 + 16).isNotEqualTo(ppks);
      try (SecretBytes back = kek.unwrap(wrapped, aad)) {
        assertThat(back).isEqualTo(secret);
      }
      byte[] otherOwner = "89000000000000000002".getBytes(StandardCharsets.US_ASCII);
      assertThatThrownBy(() -> kek.unwrap(wrapped, otherOwner)).isInstanceOf(HsmException.class);
      byte[] tampered = wrapped.ciphertext();
      tampered[3] ^= 1;
      assertThatThrownBy(() -> kek.unwrap(new WrappedSecret(wrapped.nonce(), tampered), aad))
          .isInstanceOf(HsmException.class);
    }
  }

  @Test
  void afterTheTokenSessionIsLost_signingAndUnwrappingRecover() throws Exception {
    byte[] aad = {1};
    WrappedSecret wrapped;
    try (SecretBytes s = SecretBytes.copyOf(new byte[32])) {
      wrapped = kek.wrap(s, aad);
    }
    signer.sign(new byte[] {1});
    ((java.security.AuthProvider) token.provider()).logout();
    byte[] m = {2};
    assertThat(EcdsaVerification.verifyRaw(signer.publicKey(), m, signer.sign(m))).isTrue();
    ((java.security.AuthProvider) token.provider()).logout();
    try (SecretBytes back = kek.unwrap(wrapped, aad)) {
      assertThat(back.size()).isEqualTo(32);
    }
  }

  @Test
  void importedSgp26TestIdentity_signsVerifiablyOnTheToken() throws Exception {
    Path dir = Path.of(System.getProperty("ifpp.test-data.dir"), "sgp26-certs");
    X509Certificate cert;
    try (var in = Files.newInputStream(dir.resolve("CERT_S_SM_DPpb_ECDSA_NIST.der"))) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    PrivateKey software;
    try (PEMParser parser =
        new PEMParser(new FileReader(dir.resolve("SK_S_SM_DPpb_ECDSA_NIST.pem").toFile()))) {
      Object o = parser.readObject();
      while (!(o instanceof PEMKeyPair) && !(o instanceof PrivateKeyInfo)) {
        o = parser.readObject(); // skips the EC PARAMETERS block
      }
      PrivateKeyInfo info =
          o instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo() : (PrivateKeyInfo) o;
      software =
          KeyFactory.getInstance("EC")
              .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(info.getEncoded()));
    }
    Pkcs11Token other = Pkcs11Token.open(TestHsm.properties());
    new HsmBootstrap(other).importSigningKey(software, new X509Certificate[] {cert});
    HsmSigner imported = new HsmSigner(other);
    byte[] m = "interop".getBytes(StandardCharsets.US_ASCII);
    byte[] sig = imported.sign(m);
    assertThat(EcdsaVerification.verifyRaw(EcPublicKey.fromJca(cert.getPublicKey()), m, sig))
        .isTrue();
    assertThat(other.privateKey(other.properties().signingKeyLabel()).getEncoded()).isNull();
  }
}
