package org.ifpp.euicc.finalisation;

import java.security.SecureRandom;
import java.time.Clock;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.finalisation.FinalisationCommand;
import org.ifpp.crypto.finalisation.SignedFinalisationCommand;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.pki.DevelopmentCredential;
import org.ifpp.crypto.pki.DevelopmentPki;
import org.ifpp.crypto.signing.SoftwareSigner;
import org.ifpp.euicc.manufacturing.internal.Pem;

/** A test device maker: a P-256 certificate and key that signs finalisation commands. */
public final class DeviceMaker {

  private final DevelopmentCredential credential;
  private final SoftwareSigner signer;

  public DeviceMaker() {
    SecureRandom random = new SecureRandom();
    credential = new DevelopmentPki(Clock.systemUTC(), random).createDeviceMaker("Test DM");
    signer = SoftwareSigner.fromPem(Pem.write(credential.privateKey()), random);
  }

  public EcPublicKey publicKey() {
    return credential.publicKey();
  }

  /** The certificate, DER (what the EUM is given). */
  public byte[] certificateDer() {
    return credential.certificateDer();
  }

  public SignedFinalisationCommand command(Eid eid, long counter) {
    return new FinalisationCommand(eid, counter).sign(signer);
  }
}
