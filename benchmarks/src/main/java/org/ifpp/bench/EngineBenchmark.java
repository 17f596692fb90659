package org.ifpp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.ifpp.crypto.bpp.BoundProfilePackage;
import org.ifpp.crypto.bpp.BoundProfilePackageBuilder;
import org.ifpp.crypto.bpp.BoundProfilePackageDecoder;
import org.ifpp.crypto.bpp.BoundProfilePackageHead;
import org.ifpp.crypto.bpp.DecodedBoundProfilePackage;
import org.ifpp.crypto.bpp.ProfileProtectionKeys;
import org.ifpp.crypto.bpp.ProtectedProfilePackage;
import org.ifpp.crypto.bpp.UnprotectedProfilePackage;
import org.ifpp.crypto.bsp.BspKdf;
import org.ifpp.crypto.bsp.SessionKeys;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ec.Ecka;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.HostId;
import org.ifpp.crypto.provider.CryptoProviders;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.signing.SoftwareSigner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Binding and opening a 12 KB TS.48 profile, and in the same run the primitives a binding is made
 * of, with the providers the engine uses, so that the ratio of a binding's cost to its primitives
 * is visible: for PPK mode the asymmetric work (P-256 key generation, ECDH, ECDSA signing), for
 * session mode that and one AES-CBC pass over the profile for each of S-ENC and S-MAC. Run: see
 * docs/benchmarks.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineBenchmark {

  private static final Eid EID = Eid.of("89049032123451234512345678901235");
  private static final HostId HOST_ID = HostId.ofText("ifpp-bench");

  /** The curve of every key: P256 (the default), or BRAINPOOL_P256R1 ({@code -p curve=...}). */
  @Param("P256")
  public String curve;

  private final SecureRandom random = new SecureRandom();
  private Curve keyCurve;
  private UnprotectedProfilePackage upp;
  private ProtectedProfilePackage ppp;
  private ProtectedProfilePackage.StoredHead storedHead;
  private ProfileProtectionKeys ppks;
  private SoftwareSigner signer;
  private OneTimeKeyPair euiccKey;
  private EcPublicKey otPkEuicc;
  private BoundProfilePackage ppkPackage;
  private BoundProfilePackage sessionPackage;
  private byte[] message;
  private byte[] profileBlocks;
  private byte[] cbcOut;
  private final Cipher encCipher = CryptoProviders.newAesCbc();
  private final Cipher macCipher = CryptoProviders.newAesCbc();
  private SecretKeySpec sEnc;
  private SecretKeySpec sMac;
  private final IvParameterSpec zeroIv = new IvParameterSpec(new byte[16]);

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    keyCurve = Curve.valueOf(curve);
    upp = UnprotectedProfilePackage.parse(profileBytes());
    ppks = ProfileProtectionKeys.generate(random);
    ppp = ProtectedProfilePackage.protect(upp, ppks);
    storedHead = ProtectedProfilePackage.readHead(ppp.encode());
    try (OneTimeKeyPair signing = OneTimeKeyPair.generate(keyCurve, random);
        SecretBytes scalar =
            signing.exportPrivateScalar(org.ifpp.crypto.secret.SecretAccess.GRANTED)) {
      signer = SoftwareSigner.fromScalar(keyCurve, scalar, random);
    }
    euiccKey = OneTimeKeyPair.generate(keyCurve, random);
    otPkEuicc = euiccKey.publicKey();
    ppkPackage = bindPpkMode();
    sessionPackage = bindSessionMode();
    message = new byte[200];
    random.nextBytes(message);
    byte[] profile = profileBytes();
    profileBlocks = new byte[(profile.length / 16 + 1) * 16];
    System.arraycopy(profile, 0, profileBlocks, 0, profile.length);
    cbcOut = new byte[profileBlocks.length];
    byte[] k = new byte[16];
    random.nextBytes(k);
    sEnc = new SecretKeySpec(k, "AES");
    random.nextBytes(k);
    sMac = new SecretKeySpec(k, "AES");
  }

  private static byte[] profileBytes() throws IOException {
    String testData = System.getProperty("ifpp.test-data.dir", "test-data");
    return Files.readAllBytes(
        Path.of(testData, "profiles", "TS48V1-A-UNIQUE.der").toAbsolutePath());
  }

  @Benchmark
  public BoundProfilePackage bindSessionMode() {
    return BoundProfilePackageBuilder.bind(signer, HOST_ID, EID, otPkEuicc)
        .random(random)
        .sessionKeyMode(upp)
        .build();
  }

  @Benchmark
  public BoundProfilePackage bindPpkMode() {
    return BoundProfilePackageBuilder.bind(signer, HOST_ID, EID, otPkEuicc)
        .random(random)
        .ppkMode(ppp, ppks)
        .build();
  }

  /** PPK mode as the Key Maker binds: the package's head only, its stored A3 copied later. */
  @Benchmark
  public BoundProfilePackageHead bindPpkModeHead() {
    return BoundProfilePackageBuilder.bind(signer, HOST_ID, EID, otPkEuicc)
        .random(random)
        .ppkMode(storedHead, ppks)
        .buildHead();
  }

  @Benchmark
  public int openPpkMode() throws Exception {
    return open(ppkPackage);
  }

  @Benchmark
  public int openSessionMode() throws Exception {
    return open(sessionPackage);
  }

  private int open(BoundProfilePackage bpp) throws Exception {
    EcPublicKey otPkDp =
        EcPublicKey.fromUncompressed(keyCurve, bpp.initialiseSecureChannel().otPkDpBytes());
    try (SecretBytes z = Ecka.sharedSecret(euiccKey, otPkDp);
        SessionKeys keys = BspKdf.derive(z, HOST_ID, EID);
        DecodedBoundProfilePackage decoded = BoundProfilePackageDecoder.decode(bpp, keys)) {
      return decoded.profile().size();
    }
  }

  @Benchmark
  public EcPublicKey primitiveKeyGeneration() {
    try (OneTimeKeyPair pair = OneTimeKeyPair.generate(keyCurve, random)) {
      return pair.publicKey();
    }
  }

  @Benchmark
  public int primitiveEcdh() {
    try (SecretBytes z = Ecka.sharedSecret(euiccKey, otPkEuicc)) {
      return z.size();
    }
  }

  @Benchmark
  public byte[] primitiveSign() {
    return signer.sign(message);
  }

  /** The asymmetric work of one binding: ephemeral key, ECDH, one signature. */
  @Benchmark
  public byte[] primitivesOfOneBinding() {
    try (OneTimeKeyPair eph = OneTimeKeyPair.generate(keyCurve, random);
        SecretBytes z = Ecka.sharedSecret(eph, otPkEuicc)) {
      return signer.sign(message);
    }
  }

  /**
   * What a session-mode binding cannot avoid: {@link #primitivesOfOneBinding()} and the profile,
   * padded to whole blocks, through AES-CBC once under S-ENC (the encryption) and once under S-MAC
   * (the CBC pass a CMAC is), on the engine's AES.
   */
  @Benchmark
  public byte[] primitivesOfSessionBinding() throws GeneralSecurityException {
    byte[] signature = primitivesOfOneBinding();
    encCipher.init(Cipher.ENCRYPT_MODE, sEnc, zeroIv);
    encCipher.doFinal(profileBlocks, 0, profileBlocks.length, cbcOut, 0);
    macCipher.init(Cipher.ENCRYPT_MODE, sMac, zeroIv);
    macCipher.doFinal(cbcOut, 0, cbcOut.length, cbcOut, 0);
    return signature;
  }
}
