package org.ifpp.keymaker.hsm;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the Key Maker's keys on a token: the binding signing key (generated inside the token, its
 * certificate issued by a CI) and the key-encryption key. Development and test use only: the
 * production equivalent is the key ceremony of docs/key-ceremony.md.
 */
public final class HsmBootstrap {

  private static final Logger log = LoggerFactory.getLogger(HsmBootstrap.class);

  /** Issues the binding certificate for a public key (a development CI, a test CI). */
  @FunctionalInterface
  public interface CertificateIssuer {
    /**
     * @return the chain, leaf (the binding certificate for {@code key}) first
     */
    X509Certificate[] issue(EcPublicKey key);
  }

  private final Pkcs11Token token;

  public HsmBootstrap(Pkcs11Token token) {
    this.token = token;
  }

  /** What the bootstrap did. */
  public record Outcome(boolean signingKeyCreated, boolean kekCreated, X509Certificate leaf) {}

  /**
   * Creates what is missing: a signing key on {@code curve} certified by {@code issuer}, and the
   * KEK. Existing keys are kept unless {@code replace} (a new signing key; the KEK is never
   * replaced, since it wraps every stored PPK).
   */
  public Outcome initialise(Curve curve, CertificateIssuer issuer, boolean replace) {
    HsmProperties p = token.properties();
    boolean signing = false;
    if (replace || !token.contains(p.signingKeyLabel())) {
      token.delete(p.signingKeyLabel());
      KeyPair pair = token.generateSigningKeyPair(curve);
      X509Certificate[] chain = issuer.issue(EcPublicKey.fromJca(pair.getPublic()));
      requireMatches(chain[0], pair.getPublic());
      token.storeCertificateChain(p.signingKeyLabel(), pair.getPrivate(), chain);
      signing = true;
      log.info(
          "binding key '{}' generated on the token ({}), certificate {}",
          p.signingKeyLabel(),
          curve,
          chain[0].getSubjectX500Principal());
    }
    boolean kek = ensureKek();
    return new Outcome(signing, kek, token.certificateChain(p.signingKeyLabel())[0]);
  }

  /**
   * Imports a given private key and its certificate chain as the binding key (interoperability
   * tests with the SGP.26 test SM-DP+ identity), and creates the KEK if missing.
   */
  public Outcome importSigningKey(PrivateKey key, X509Certificate[] chain) {
    HsmProperties p = token.properties();
    token.delete(p.signingKeyLabel());
    token.importPrivateKey(p.signingKeyLabel(), key, chain);
    log.info(
        "binding key '{}' imported, certificate {}",
        p.signingKeyLabel(),
        chain[0].getSubjectX500Principal());
    boolean kek = ensureKek();
    return new Outcome(true, kek, token.certificateChain(p.signingKeyLabel())[0]);
  }

  private boolean ensureKek() {
    String label = token.properties().kekLabel();
    if (token.contains(label)) {
      return false;
    }
    token.generateAesKey(label);
    log.info("key-encryption key '{}' generated on the token", label);
    return true;
  }

  private static void requireMatches(X509Certificate cert, java.security.PublicKey key) {
    if (!EcPublicKey.fromJca(cert.getPublicKey()).equals(EcPublicKey.fromJca(key))) {
      throw new HsmException("the issued certificate does not carry the generated key");
    }
  }
}
