package org.ifpp.keymaker.hsm;

import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.security.auth.login.LoginException;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.keymaker.hsm.internal.TokenSlots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Key Maker's PKCS#11 token, reached through the JDK's SunPKCS11 provider (GENS05). The token
 * is found by label; keys are found by label and held only as PKCS#11 handles. Every key this class
 * generates or imports is created {@code CKA_SENSITIVE = true}, {@code CKA_EXTRACTABLE = false} by
 * the provider's attribute templates, so its value never leaves the token.
 *
 * <p>SoftHSM pitfalls handled here: concurrent key generation can fail (upstream #573), so key
 * generation and import are serialised; handles can go stale after a token restart or logout, so
 * {@link #reload(long)} logs in again and looks every key up again, and callers retry once.
 */
public final class Pkcs11Token {

  private static final Logger log = LoggerFactory.getLogger(Pkcs11Token.class);

  private final HsmProperties properties;
  private final AuthProvider provider;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile KeyStore keyStore;
  private volatile long generation;

  private Pkcs11Token(HsmProperties properties, AuthProvider provider) {
    this.properties = properties;
    this.provider = provider;
  }

  /** Loads the PKCS#11 module, finds the token by label and logs in. */
  public static Pkcs11Token open(HsmProperties properties) {
    Objects.requireNonNull(properties.tokenLabel(), "keymaker.hsm.token-label");
    long slot = TokenSlots.slotOf(properties.library(), properties.tokenLabel());
    Provider base = Security.getProvider("SunPKCS11");
    if (base == null) {
      throw new IllegalStateException("the JDK has no SunPKCS11 provider");
    }
    AuthProvider provider = (AuthProvider) base.configure("--" + config(properties, slot));
    Pkcs11Token token = new Pkcs11Token(properties, provider);
    token.login();
    log.info(
        "PKCS#11 token '{}' in slot {} opened through {}",
        properties.tokenLabel(),
        slot,
        provider.getName());
    return token;
  }

  /** The SunPKCS11 configuration: slot plus the templates that keep keys inside the token. */
  static String config(HsmProperties p, long slot) {
    return String.join(
        "\n",
        "name = IFPP-KeyMaker",
        "library = " + p.library(),
        "slot = " + slot,
        "attributes(generate, CKO_PRIVATE_KEY, CKK_EC) = {",
        "  CKA_TOKEN = true",
        "  CKA_PRIVATE = true",
        "  CKA_SENSITIVE = true",
        "  CKA_EXTRACTABLE = false",
        "  CKA_SIGN = true",
        "  CKA_DERIVE = false",
        "}",
        "attributes(generate, CKO_PUBLIC_KEY, CKK_EC) = {",
        "  CKA_TOKEN = false",
        "}",
        "attributes(import, CKO_PRIVATE_KEY, CKK_EC) = {",
        "  CKA_PRIVATE = true",
        "  CKA_SENSITIVE = true",
        "  CKA_EXTRACTABLE = false",
        "  CKA_SIGN = true",
        "  CKA_DERIVE = false",
        "}",
        "attributes(generate, CKO_SECRET_KEY, CKK_AES) = {",
        "  CKA_SENSITIVE = true",
        "  CKA_EXTRACTABLE = false",
        "  CKA_ENCRYPT = true",
        "  CKA_DECRYPT = true",
        "}",
        "");
  }

  private void login() {
    char[] pin = properties.resolvePin();
    try {
      KeyStore ks = KeyStore.getInstance("PKCS11", provider);
      ks.load(null, pin);
      keyStore = ks;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new HsmException("cannot log in to the PKCS#11 token", e);
    } finally {
      Arrays.fill(pin, '\0');
    }
  }

  public Provider provider() {
    return provider;
  }

  public HsmProperties properties() {
    return properties;
  }

  /** Grows by one on every {@link #reload(long)}: callers cache handles per generation. */
  public long generation() {
    return generation;
  }

  /**
   * Logs in again and drops cached handles, unless another thread already did so since {@code
   * seenGeneration}. Used after a PKCS#11 failure (stale handle, token restart, logged out).
   */
  public void reload(long seenGeneration) {
    lock.lock();
    try {
      if (generation != seenGeneration) {
        return;
      }
      try {
        provider.logout();
      } catch (LoginException e) {
        log.debug("logout before re-login failed: {}", e.getMessage());
      }
      login();
      generation++;
      log.warn("PKCS#11 token '{}' re-opened after a failure", properties.tokenLabel());
    } finally {
      lock.unlock();
    }
  }

  /** The private key labelled {@code label} (a handle), or an {@link HsmException}. */
  public PrivateKey privateKey(String label) {
    Key key = key(label);
    if (key instanceof PrivateKey pk) {
      return pk;
    }
    throw new HsmException("no private key labelled '" + label + "' on the token");
  }

  /** The secret key labelled {@code label} (a handle), or an {@link HsmException}. */
  public SecretKey secretKey(String label) {
    Key key = key(label);
    if (key instanceof SecretKey sk) {
      return sk;
    }
    throw new HsmException("no secret key labelled '" + label + "' on the token");
  }

  private Key key(String label) {
    try {
      return keyStore.getKey(label, null);
    } catch (GeneralSecurityException e) {
      throw new HsmException("cannot look up key '" + label + "'", e);
    }
  }

  /** The certificate chain stored with the private key {@code label}, leaf first. */
  public X509Certificate[] certificateChain(String label) {
    try {
      Certificate[] chain = keyStore.getCertificateChain(label);
      if (chain == null || chain.length == 0) {
        throw new HsmException("no certificate stored with key '" + label + "'");
      }
      return Arrays.copyOf(chain, chain.length, X509Certificate[].class);
    } catch (java.security.KeyStoreException e) {
      throw new HsmException("cannot read the certificate of '" + label + "'", e);
    }
  }

  public boolean contains(String label) {
    try {
      return keyStore.containsAlias(label);
    } catch (java.security.KeyStoreException e) {
      throw new HsmException("cannot list the token", e);
    }
  }

  /**
   * Generates an EC key pair inside the token (sensitive, non-extractable, sign only). The private
   * key is persisted under {@code label} once {@link #storeCertificateChain} gives it a
   * certificate.
   */
  public KeyPair generateSigningKeyPair(Curve curve) {
    lock.lock();
    try {
      KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC", provider);
      kpg.initialize(new ECGenParameterSpec(curve.jcaName()));
      return kpg.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new HsmException("cannot generate an EC key pair on the token", e);
    } finally {
      lock.unlock();
    }
  }

  /** Stores (and labels) a token private key with its certificate chain, leaf first. */
  public void storeCertificateChain(String label, PrivateKey key, X509Certificate[] chain) {
    lock.lock();
    try {
      EcPublicKey certKey = EcPublicKey.fromJca(chain[0].getPublicKey());
      Objects.requireNonNull(certKey);
      keyStore.setKeyEntry(label, key, null, chain);
    } catch (GeneralSecurityException e) {
      throw new HsmException("cannot store key '" + label + "' on the token", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Imports a software private key into the token under {@code label} (interoperability tests with
   * published test identities; never a production path). The token copy is sensitive and
   * non-extractable.
   */
  public void importPrivateKey(String label, PrivateKey softwareKey, X509Certificate[] chain) {
    storeCertificateChain(label, softwareKey, chain);
  }

  /** Generates an AES-256 key inside the token and stores it under {@code label}. */
  public void generateAesKey(String label) {
    lock.lock();
    try {
      KeyGenerator kg = KeyGenerator.getInstance("AES", provider);
      kg.init(256);
      SecretKey sessionKey = kg.generateKey();
      keyStore.setEntry(label, new KeyStore.SecretKeyEntry(sessionKey), null);
    } catch (GeneralSecurityException e) {
      throw new HsmException("cannot generate the AES key '" + label + "' on the token", e);
    } finally {
      lock.unlock();
    }
  }

  /** Deletes the entry {@code label} (bootstrap with --force, tests). */
  public void delete(String label) {
    lock.lock();
    try {
      if (keyStore.containsAlias(label)) {
        keyStore.deleteEntry(label);
      }
    } catch (GeneralSecurityException e) {
      throw new HsmException("cannot delete '" + label + "'", e);
    } finally {
      lock.unlock();
    }
  }
}
