package org.ifpp.euicc.manufacturing;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.euicc.chip.Chip;
import org.ifpp.euicc.chip.ChipIdentity;
import org.ifpp.euicc.chip.OneTimeKeySlot;
import org.ifpp.euicc.manufacturing.internal.EcKeys;
import org.ifpp.euicc.store.ChipRepository;

/**
 * Chip manufacturing as the EUM does it (IFPP.md section 4 step 1; GENS07/GENS12/GENS14): an EID in
 * the EUM's range, an eUICC key pair and its certificate, and K random one-time key pairs, all
 * persisted before the EIDs are returned.
 */
public final class ManufacturingService {

  private static final ASN1ObjectIdentifier SERIAL_NUMBER = new ASN1ObjectIdentifier("2.5.4.5");

  private final ChipRepository chips;
  private final EumAuthority eum;
  private final EidAllocator eids;
  private final SecureRandom random;
  private final EcPublicKey defaultDeviceMakerKey;

  public ManufacturingService(
      ChipRepository chips, EumAuthority eum, EidAllocator eids, SecureRandom random) {
    this(chips, eum, eids, random, null);
  }

  /**
   * @param defaultDeviceMakerKey the device-maker key chips get when a request names none (null:
   *     none; such chips cannot be finalised by command)
   */
  public ManufacturingService(
      ChipRepository chips,
      EumAuthority eum,
      EidAllocator eids,
      SecureRandom random,
      EcPublicKey defaultDeviceMakerKey) {
    this.chips = Objects.requireNonNull(chips, "chips");
    this.eum = Objects.requireNonNull(eum, "eum");
    this.eids = Objects.requireNonNull(eids, "eids");
    this.random = Objects.requireNonNull(random, "random");
    this.defaultDeviceMakerKey = defaultDeviceMakerKey;
  }

  public EumAuthority eum() {
    return eum;
  }

  /** Makes {@code count} chips with {@code keysPerChip} one-time keys each, default trust. */
  public List<Eid> manufacture(int count, int keysPerChip) {
    return manufacture(count, keysPerChip, null);
  }

  /**
   * Makes {@code count} chips with {@code keysPerChip} one-time keys each, trusting {@code
   * deviceMakerKey} for their finalisation (null: the configured default).
   */
  public List<Eid> manufacture(int count, int keysPerChip, EcPublicKey deviceMakerKey) {
    EcPublicKey dm = deviceMakerKey != null ? deviceMakerKey : defaultDeviceMakerKey;
    List<Eid> allocated = eids.allocate(count);
    Curve curve = eum.curve();
    List<Chip> made =
        allocated.parallelStream()
            .map(
                eid -> {
                  KeyPair euiccKey = EcKeys.generate(curve, random);
                  X509Certificate cert =
                      eum.issueEuiccCertificate(eid, euiccKey.getPublic(), random);
                  ChipIdentity identity =
                      new ChipIdentity(
                          der(cert),
                          List.of(der(eum.eumCertificate())),
                          curve,
                          SecretBytes.adopt(euiccKey.getPrivate().getEncoded()));
                  return Chip.manufactured(
                      eid,
                      identity,
                      oneTimeKeys(curve, keysPerChip),
                      dm,
                      cert.getNotBefore().toInstant());
                })
            .toList();
    chips.addNew(made);
    return allocated;
  }

  /**
   * Builds a chip around an existing eUICC certificate and private key (for example the SGP.26 test
   * eUICC); its EID is the certificate subject's serialNumber. One-time keys are fresh.
   *
   * @return the new chip's EID
   * @param chain the certificates above CERT.EUICC up to (not including) the CI, EUM first
   * @throws IllegalArgumentException if the key does not match the certificate or the subject has
   *     no valid EID
   */
  public Eid importChip(
      X509Certificate certificate,
      List<X509Certificate> chain,
      PrivateKey privateKey,
      int keysPerChip) {
    return importChip(certificate, chain, privateKey, keysPerChip, null);
  }

  /**
   * {@link #importChip(X509Certificate, List, PrivateKey, int)} trusting {@code deviceMakerKey}.
   */
  public Eid importChip(
      X509Certificate certificate,
      List<X509Certificate> chain,
      PrivateKey privateKey,
      int keysPerChip,
      EcPublicKey deviceMakerKey) {
    Eid eid = eidOf(certificate);
    EcPublicKey publicKey = EcPublicKey.fromJca(certificate.getPublicKey());
    if (!KeyMatch.matches(privateKey, certificate.getPublicKey())) {
      throw new IllegalArgumentException("private key does not match the eUICC certificate");
    }
    Curve curve = publicKey.curve();
    List<byte[]> chainDer = new ArrayList<>();
    for (X509Certificate c : chain) {
      chainDer.add(der(c));
    }
    Chip chip =
        Chip.manufactured(
            eid,
            new ChipIdentity(
                der(certificate), chainDer, curve, SecretBytes.adopt(privateKey.getEncoded())),
            oneTimeKeys(curve, keysPerChip),
            deviceMakerKey != null ? deviceMakerKey : defaultDeviceMakerKey);
    chips.addNew(List.of(chip));
    return eid;
  }

  private List<OneTimeKeySlot> oneTimeKeys(Curve curve, int count) {
    return IntStream.range(0, count).mapToObj(i -> EcKeys.oneTimeKey(i, curve, random)).toList();
  }

  /** The EID in CERT.EUICC's subject serialNumber. */
  public static Eid eidOf(X509Certificate certificate) {
    X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    RDN[] rdns = subject.getRDNs(SERIAL_NUMBER);
    if (rdns.length != 1) {
      throw new IllegalArgumentException("eUICC certificate subject has no serialNumber (EID)");
    }
    return Eid.of(IETFUtils.valueToString(rdns[0].getFirst().getValue()));
  }

  private static byte[] der(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate cannot be encoded", e);
    }
  }
}
