package org.ifpp.crypto.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.X509CertificateHolder;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ids.Eid;
import org.junit.jupiter.api.Test;

class DevelopmentPkiTest {

  private final DevelopmentPki pki = new DevelopmentPki(Clock.systemUTC());

  @Test
  void criticalExtensions_matchTheSgp26ProfileOfEachRole() throws Exception {
    DevelopmentCredential ci = pki.createCi(Curve.BRAINPOOL_P256R1, "Dev CI");
    DevelopmentCredential dp = pki.issueBindingCertificate(ci, Curve.P256, "IFPP", "Key Maker");
    DevelopmentCredential eum = pki.issueEum(ci, Curve.P256, "Dev EUM", "89049032");
    DevelopmentCredential euicc =
        pki.issueEuicc(eum, Curve.P256, Eid.withCheckDigits("890490320000000000000000000007"));

    assertThat(critical(ci.certificateDer()))
        .isEqualTo(critical(Sgp26.der("CERT_CI_ECDSA_BRP.der")));
    assertThat(critical(dp.certificateDer()))
        .isEqualTo(critical(Sgp26.der("CERT_S_SM_DPpb_ECDSA_NIST.der")));
    assertThat(critical(eum.certificateDer())).isEqualTo(critical(Sgp26.der("eum.der")));
    assertThat(critical(euicc.certificateDer())).isEqualTo(critical(Sgp26.der("euicc.der")));
  }

  @Test
  void eumNameConstraints_holdOrganizationAndEidPrefix_likeSgp26() throws Exception {
    DevelopmentCredential ci = pki.createCi(Curve.P256, "Dev CI");
    DevelopmentCredential eum = pki.issueEum(ci, Curve.P256, "Dev EUM", "89049032");

    assertThat(permittedName(eum.certificateDer())).isEqualTo("O=Dev EUM,SERIALNUMBER=89049032");
    assertThat(permittedName(Sgp26.der("eum.der")))
        .isEqualTo("O=RSP Test EUM,SERIALNUMBER=89049032");
  }

  @Test
  void euiccSubject_carriesTheEidAsSerialNumber() {
    DevelopmentCredential ci = pki.createCi(Curve.P256, "Dev CI");
    DevelopmentCredential eum = pki.issueEum(ci, Curve.P256, "Dev EUM", "8904");
    Eid eid = Eid.withCheckDigits("890490320000000000000000000007");
    DevelopmentCredential euicc = pki.issueEuicc(eum, Curve.P256, eid);

    assertThat(euicc.certificate().getSubjectX500Principal().getName(X500Principal.RFC1779))
        .contains("OID.2.5.4.5=" + eid.value())
        .contains("O=Dev EUM");
  }

  @Test
  void p256Certificates_loadWithTheJdkCertificateFactory() throws Exception {
    DevelopmentCredential ci = pki.createCi(Curve.P256, "Dev CI");
    X509Certificate jdk =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(ci.certificateDer()));
    jdk.verify(jdk.getPublicKey());
    assertThat(jdk.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void sgp26EuiccCertificateAndKey_wrapAsCredential_butNotWithAnotherKey() {
    X509Certificate euicc = Certificates.requireFromDer(Sgp26.der("euicc.der"));
    DevelopmentCredential credential =
        DevelopmentCredential.of(euicc, Sgp26.privateKey("euicc-key.pem"));
    assertThat(credential.publicKey().curve()).isEqualTo(Curve.P256);
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(
            () -> DevelopmentCredential.of(euicc, Sgp26.privateKey("SK_S_SM_DPpb_ECDSA_NIST.pem")));
  }

  @Test
  void toString_neverShowsThePrivateKey() {
    DevelopmentCredential ci = pki.createCi(Curve.P256, "Dev CI");
    assertThat(ci.toString()).contains("REDACTED").doesNotContain("Private");
  }

  private static Set<String> critical(byte[] der) throws Exception {
    return Arrays.stream(new X509CertificateHolder(der).getExtensions().getCriticalExtensionOIDs())
        .map(Object::toString)
        .collect(Collectors.toSet());
  }

  private static String permittedName(byte[] der) throws Exception {
    NameConstraints nc =
        NameConstraints.getInstance(
            new X509CertificateHolder(der)
                .getExtension(Extension.nameConstraints)
                .getParsedValue());
    GeneralName base = nc.getPermittedSubtrees()[0].getBase();
    assertThat(base.getTagNo()).isEqualTo(GeneralName.directoryName);
    return base.getName().toString();
  }
}
