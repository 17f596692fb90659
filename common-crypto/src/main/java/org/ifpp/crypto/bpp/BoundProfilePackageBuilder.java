package org.ifpp.crypto.bpp;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.ifpp.crypto.bsp.BspChannel;
import org.ifpp.crypto.bsp.BspKdf;
import org.ifpp.crypto.bsp.SessionKeys;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ec.Ecka;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.HostId;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.signing.Signer;
import org.ifpp.crypto.tlv.TlvWriter;

/**
 * Binds a profile to one eUICC one-time key (IFPP.md section 4 step 4, section 5; SGP.22 sections
 * 2.5.4 and 3.1.3.3): generates a fresh ephemeral key pair (PFS, GENS06), derives the session keys
 * from ECDH with otPK.EUICC, signs BF23 so that it names otPK.EUICC, and protects A0, A1 and either
 * the profile itself (session-key mode) or the PPKs in A2 (PPK mode, where the stored 86 segments
 * are copied untouched). The ephemeral private key, Z and the session keys are wiped before {@link
 * #build()} returns, also on failure.
 *
 * <p>One builder makes one package; not thread-safe. The signer's curve must be that of otPK.EUICC.
 */
public final class BoundProfilePackageBuilder {

  private static final SecureRandom DEFAULT_RANDOM = new SecureRandom();

  private final Signer signer;
  private final HostId hostId;
  private final Eid eid;
  private final EcPublicKey otPkEuicc;
  private UnprotectedProfilePackage upp;
  private ProtectedProfilePackage ppp;
  private ProtectedProfilePackage.StoredHead storedHead;
  private ProfileProtectionKeys ppks;
  private OneTimeKeyPair ephemeral;
  private TransactionId transactionId;
  private StoreMetadataRequest metadata;
  private ConfigureIsdpRequest configureIsdp = ConfigureIsdpRequest.empty();
  private SecureRandom random = DEFAULT_RANDOM;
  private boolean selfCheck = true;

  private BoundProfilePackageBuilder(Signer signer, HostId hostId, Eid eid, EcPublicKey otPkEuicc) {
    this.signer = Objects.requireNonNull(signer, "signer");
    this.hostId = Objects.requireNonNull(hostId, "hostId");
    this.eid = Objects.requireNonNull(eid, "eid");
    this.otPkEuicc = Objects.requireNonNull(otPkEuicc, "otPkEuicc");
    if (signer.curve() != otPkEuicc.curve()) {
      throw new IllegalArgumentException("otPK.EUICC is not on the binding key's curve");
    }
  }

  /**
   * The identifier of the one-time key this package is bound to (SGP.22's {@code bppEuiccOtpk}), to
   * travel beside the package so the chip selects its key directly.
   */
  public BppEuiccOtpk bppEuiccOtpk() {
    return BppEuiccOtpk.of(otPkEuicc);
  }

  /** Starts a binding for the eUICC {@code eid} and its one-time key {@code otPkEuicc}. */
  public static BoundProfilePackageBuilder bind(
      Signer signer, HostId hostId, Eid eid, EcPublicKey otPkEuicc) {
    return new BoundProfilePackageBuilder(signer, hostId, eid, otPkEuicc);
  }

  /** Session-key mode: the profile is protected with the session keys. Not closed here. */
  public BoundProfilePackageBuilder sessionKeyMode(UnprotectedProfilePackage profile) {
    this.upp = Objects.requireNonNull(profile, "profile");
    this.ppp = null;
    this.ppks = null;
    return this;
  }

  /** PPK mode: the stored PPP is copied; the PPKs travel in A2. Neither is closed here. */
  public BoundProfilePackageBuilder ppkMode(
      ProtectedProfilePackage profile, ProfileProtectionKeys keys) {
    this.ppp = Objects.requireNonNull(profile, "profile");
    this.ppks = Objects.requireNonNull(keys, "keys");
    this.upp = null;
    this.storedHead = null;
    return this;
  }

  /**
   * PPK mode from a stored profile's head only ({@link ProtectedProfilePackage#readHead}): for
   * {@link #buildHead()}, which never touches the stored segments. The keys are not closed here.
   */
  public BoundProfilePackageBuilder ppkMode(
      ProtectedProfilePackage.StoredHead head, ProfileProtectionKeys keys) {
    this.storedHead = Objects.requireNonNull(head, "head");
    this.ppks = Objects.requireNonNull(keys, "keys");
    this.upp = null;
    this.ppp = null;
    return this;
  }

  /**
   * A fixed ephemeral key pair, for reproducible fixtures only. It is destroyed by {@link #build()}
   * like a generated one.
   */
  public BoundProfilePackageBuilder ephemeralKey(OneTimeKeyPair key) {
    this.ephemeral = Objects.requireNonNull(key, "key");
    return this;
  }

  /** A fixed transactionId (default: 16 random bytes). */
  public BoundProfilePackageBuilder transactionId(TransactionId id) {
    this.transactionId = Objects.requireNonNull(id, "id");
    return this;
  }

  /** The StoreMetadataRequest (default: minimal, from the profile's ICCID and name). */
  public BoundProfilePackageBuilder metadata(StoreMetadataRequest request) {
    this.metadata = Objects.requireNonNull(request, "request");
    return this;
  }

  /** The ConfigureISDPRequest (default: {@code BF24 00}). */
  public BoundProfilePackageBuilder configureIsdp(ConfigureIsdpRequest request) {
    this.configureIsdp = Objects.requireNonNull(request, "request");
    return this;
  }

  /** The randomness source for the ephemeral key and transactionId. */
  public BoundProfilePackageBuilder random(SecureRandom source) {
    this.random = Objects.requireNonNull(source, "source");
    return this;
  }

  /**
   * Whether {@link #build()} parses the assembled package back as a structural self-check (default
   * true). A caller that binds at volume and checks its output elsewhere (the Key Maker: tests open
   * its packages) may turn it off; the encoding is identical either way.
   */
  public BoundProfilePackageBuilder selfCheck(boolean on) {
    this.selfCheck = on;
    return this;
  }

  /**
   * Builds and signs the package.
   *
   * @throws IllegalStateException if no profile was given
   * @throws org.ifpp.crypto.signing.SigningException if the signer fails
   */
  public BoundProfilePackage build() {
    if (upp == null && ppp == null) {
      throw new IllegalStateException(
          "no profile: call sessionKeyMode or ppkMode (a stored head builds only buildHead)");
    }
    Iccid iccid = upp != null ? upp.iccid() : ppp.iccid();
    return inSession(
        iccid,
        upp != null ? upp.profileName().orElse(null) : ppp.profileName().orElse(null),
        (isc, a0, a1, channel) -> {
          if (ppp != null) {
            byte[] bf26 = ReplaceSessionKeysRequest.encode(ppks);
            try {
              byte[] a2 = channel.encryptAndMac(0x87, bf26);
              return BoundProfilePackage.assemble(isc, a0, a1, a2, ppp.a3(), selfCheck);
            } finally {
              Arrays.fill(bf26, (byte) 0);
            }
          }
          List<byte[]> a3 = channel.encryptAndMacAll(0x86, upp.view());
          byte[] a3Encoded = TlvWriter.encodeConstructed(0xA3, a3.toArray(new byte[0][]));
          return BoundProfilePackage.assemble(isc, a0, a1, null, a3Encoded, selfCheck);
        });
  }

  /**
   * PPK mode without the stored segments: builds and signs the package exactly as {@link #build()}
   * would for the same inputs, but returns only its head ({@code BF36} tag and length, BF23, A0,
   * A1, A2); the package is the head followed by the last {@link
   * BoundProfilePackageHead#a3Length()} bytes of the stored encoding, which end with the {@code A3}
   * element byte for byte. The same secrets are wiped before it returns.
   *
   * @throws IllegalStateException if {@link #ppkMode(ProtectedProfilePackage.StoredHead,
   *     ProfileProtectionKeys)} was not called
   */
  public BoundProfilePackageHead buildHead() {
    if (storedHead == null) {
      throw new IllegalStateException("no stored head: call ppkMode(StoredHead, keys)");
    }
    return inSession(
        storedHead.iccid(),
        storedHead.profileName().orElse(null),
        (isc, a0, a1, channel) -> {
          byte[] bf26 = ReplaceSessionKeysRequest.encode(ppks);
          try {
            byte[] a2 = channel.encryptAndMac(0x87, bf26);
            byte[] body =
                TlvWriter.concat(
                    isc.encode(),
                    TlvWriter.encodeConstructed(0xA0, a0.toArray(new byte[0][])),
                    TlvWriter.encodeConstructed(0xA1, a1.toArray(new byte[0][])),
                    TlvWriter.encode(0xA2, a2));
            byte[] head =
                TlvWriter.concat(
                    TlvWriter.tagBytes(BoundProfilePackage.TAG),
                    TlvWriter.lengthBytes(body.length + storedHead.a3Length()),
                    body);
            return new BoundProfilePackageHead(head, isc, storedHead.a3Length());
          } finally {
            Arrays.fill(bf26, (byte) 0);
          }
        });
  }

  /** What a package is made of once its session is open: the signed BF23, A0 and A1. */
  @FunctionalInterface
  private interface SessionPart<R> {
    R complete(
        InitialiseSecureChannelRequest isc, List<byte[]> a0, List<byte[]> a1, BspChannel channel);
  }

  /**
   * Opens the BSP session of one package (ephemeral key, ECDH, KDF; the secrets are wiped when it
   * returns), signs its BF23 and protects A0 and A1, then lets {@code rest} finish the package.
   */
  private <R> R inSession(Iccid iccid, String profileName, SessionPart<R> rest) {
    String name = profileName != null ? profileName : iccid.value();
    StoreMetadataRequest meta =
        metadata != null ? metadata : StoreMetadataRequest.minimal(iccid, "", name);
    TransactionId txId = transactionId != null ? transactionId : TransactionId.random(random);
    OneTimeKeyPair eph =
        ephemeral != null ? ephemeral : OneTimeKeyPair.generate(otPkEuicc.curve(), random);
    ephemeral = null;
    try (eph;
        SecretBytes z = Ecka.sharedSecret(eph, otPkEuicc);
        SessionKeys keys = BspKdf.derive(z, hostId, eid);
        BspChannel channel = BspChannel.start(keys)) {
      InitialiseSecureChannelRequest isc =
          InitialiseSecureChannelRequest.create(txId, hostId, eph.publicKey(), otPkEuicc, signer);
      List<byte[]> a0 = channel.encryptAndMacAll(0x87, configureIsdp.encode());
      List<byte[]> a1 = channel.macOnlyAll(0x88, meta.encode());
      return rest.complete(isc, a0, a1, channel);
    }
  }
}
