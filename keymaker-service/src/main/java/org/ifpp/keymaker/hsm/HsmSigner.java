package org.ifpp.keymaker.hsm;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.signing.Signer;
import org.ifpp.crypto.signing.SigningException;
import org.ifpp.keymaker.hsm.internal.SoftwareVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Key Maker's binding signature (smdpSign, IFPP.md section 5) made inside the HSM with the
 * non-extractable key labelled {@link HsmProperties#signingKeyLabel()} (GENS05).
 *
 * <p>Every signature is verified in software against the public key of the stored binding
 * certificate before it is returned: SoftHSM occasionally produces invalid ECDSA signatures
 * (upstream #901). A failed verification or a PKCS#11 error is retried once, after re-opening the
 * token if the error was a PKCS#11 one (stale handle, token restart); a second failure throws
 * {@link SigningException}. Thread-safe: each thread has its own {@link Signature} object, because
 * SoftHSM sessions are not thread-safe (upstream #426).
 */
public final class HsmSigner implements Signer {

  private static final Logger log = LoggerFactory.getLogger(HsmSigner.class);

  private final Pkcs11Token token;
  private final String label;
  private final AtomicLong invalidSignatures = new AtomicLong();
  private final AtomicLong signatures = new AtomicLong();
  private volatile Bound bound;
  private final ThreadLocal<PerThread> perThread = new ThreadLocal<>();
  private volatile LongConsumer latencyNanos = n -> {};

  private record Bound(
      long generation, PrivateKey key, EcPublicKey publicKey, SoftwareVerifier verifier) {}

  private record PerThread(long generation, Signature signature) {}

  public HsmSigner(Pkcs11Token token) {
    this(token, token.properties().signingKeyLabel());
  }

  public HsmSigner(Pkcs11Token token, String label) {
    this.token = token;
    this.label = label;
  }

  /** Receives the duration of every HSM signing call (for metrics). */
  public void onLatency(LongConsumer consumer) {
    this.latencyNanos = consumer;
  }

  private Bound bound() {
    Bound b = bound;
    long generation = token.generation();
    if (b == null || b.generation != generation) {
      PrivateKey key = token.privateKey(label);
      X509Certificate leaf = token.certificateChain(label)[0];
      EcPublicKey pub = EcPublicKey.fromJca(leaf.getPublicKey());
      b = new Bound(generation, key, pub, new SoftwareVerifier(pub));
      bound = b;
    }
    return b;
  }

  @Override
  public Curve curve() {
    return publicKey().curve();
  }

  /** The public key of the binding certificate. */
  public EcPublicKey publicKey() {
    return bound().publicKey();
  }

  /** The binding certificate chain stored with the key, leaf first. */
  public X509Certificate[] certificateChain() {
    return token.certificateChain(label);
  }

  @Override
  public byte[] sign(byte[] message) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= 2; attempt++) {
      long generation = token.generation();
      try {
        Bound b = bound();
        long start = System.nanoTime();
        byte[] signature = signOnce(b, message);
        latencyNanos.accept(System.nanoTime() - start);
        if (b.verifier().verify(message, signature)) {
          signatures.incrementAndGet();
          return signature;
        }
        invalidSignatures.incrementAndGet();
        log.warn("the HSM returned an invalid ECDSA signature (attempt {}); retrying", attempt);
        last = new SigningException("the HSM returned an invalid signature");
      } catch (GeneralSecurityException | RuntimeException e) {
        // A PKCS#11 failure: stale handle, lost login, token restart. Re-open and retry once.
        last = new SigningException("HSM signing failed", e);
        log.warn("HSM signing failed (attempt {}): {}", attempt, e.toString());
        perThread.remove();
        token.reload(generation);
      }
    }
    throw (SigningException) last;
  }

  private byte[] signOnce(Bound b, byte[] message) throws GeneralSecurityException {
    PerThread pt = perThread.get();
    if (pt == null || pt.generation() != b.generation()) {
      Signature s = Signature.getInstance("SHA256withECDSAinP1363Format", token.provider());
      pt = new PerThread(b.generation(), s);
      perThread.set(pt);
    }
    Signature s = pt.signature();
    s.initSign(b.key());
    s.update(message);
    return s.sign();
  }

  /** The provider that verifies each HSM signature in software. */
  public String verifierProviderName() {
    return bound().verifier().providerName();
  }

  /** Signatures returned so far (each one verified). */
  public long signatureCount() {
    return signatures.get();
  }

  /** Signatures the HSM produced that failed verification (and were retried). */
  public long invalidSignatureCount() {
    return invalidSignatures.get();
  }
}
