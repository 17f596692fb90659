package org.ifpp.crypto.testing;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ifpp.crypto.bpp.OpeningContext;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.provider.CryptoProviders;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;

/**
 * A minimal in-memory eUICC for tests: one-time keys, a consumed set, installed ICCIDs, and a
 * step-2 check that verifies the binding certificate's signature with the CI key and its validity.
 */
public final class TestEuicc implements OpeningContext {

  private final Eid eid;
  private final X509Certificate ci;
  private final Curve curve;
  private final List<OneTimeKeyPair> unused = new ArrayList<>();
  private final List<SecretBytes> scalars = new ArrayList<>();
  private final Set<EcPublicKey> consumed = new HashSet<>();
  private final Set<Iccid> installed = new HashSet<>();
  private boolean enabled = true;

  public TestEuicc(Eid eid, X509Certificate ci, Curve curve, int keys, SecureRandom random) {
    this.eid = eid;
    this.ci = ci;
    this.curve = curve;
    for (int i = 0; i < keys; i++) {
      OneTimeKeyPair k = OneTimeKeyPair.generate(curve, random);
      unused.add(k);
      scalars.add(k.exportPrivateScalar(SecretAccess.GRANTED));
    }
  }

  /** Test-only time travel: restores every one-time key as unused (re-created from backups). */
  public synchronized void reset() {
    consumed.clear();
    installed.clear();
    enabled = true;
    for (int i = 0; i < unused.size(); i++) {
      unused.set(i, OneTimeKeyPair.fromPrivateScalar(curve, scalars.get(i)));
    }
  }

  public EcPublicKey oneTimeKey(int i) {
    return unused.get(i).publicKey();
  }

  public OneTimeKeyPair keyPair(int i) {
    return unused.get(i);
  }

  public void finaliseProduction() {
    enabled = false;
  }

  public void markInstalled(Iccid iccid) {
    installed.add(iccid);
  }

  public boolean isConsumed(EcPublicKey key) {
    return consumed.contains(key);
  }

  @Override
  public Eid eid() {
    return eid;
  }

  @Override
  public boolean ifppEnabled() {
    return enabled;
  }

  @Override
  public Optional<EcPublicKey> verifyBindingCertificate(X509Certificate cert) {
    try {
      cert.verify(ci.getPublicKey(), CryptoProviders.bouncyCastle());
      cert.checkValidity();
      return Optional.of(EcPublicKey.fromJca(cert.getPublicKey()));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  @Override
  public synchronized List<OneTimeKeyPair> unusedOneTimeKeys() {
    return unused.stream().filter(k -> !consumed.contains(k.publicKey())).toList();
  }

  @Override
  public synchronized boolean consume(EcPublicKey key) {
    return consumed.add(key);
  }

  @Override
  public boolean iccidInstalled(Iccid iccid) {
    return installed.contains(iccid);
  }
}
