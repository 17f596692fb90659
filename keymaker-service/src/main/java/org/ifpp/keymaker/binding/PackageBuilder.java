package org.ifpp.keymaker.binding;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.ifpp.crypto.bpp.BoundProfilePackageBuilder;
import org.ifpp.crypto.bpp.BoundProfilePackageHead;
import org.ifpp.crypto.bpp.ProfilePackageException;
import org.ifpp.crypto.bpp.ProfileProtectionKeys;
import org.ifpp.crypto.bpp.ProtectedProfilePackage;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.HostId;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.provider.CryptoProviders;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.signing.Signer;
import org.ifpp.keymaker.hsm.DataKey;
import org.ifpp.keymaker.hsm.KeyEncryptionKey;
import org.ifpp.keymaker.hsm.WrappedSecret;
import org.ifpp.keymaker.profiles.DataKeyRepository;
import org.ifpp.keymaker.profiles.PpkCodec;
import org.ifpp.keymaker.profiles.ProfileJdbcRepository;
import org.ifpp.keymaker.profiles.ProfileJdbcRepository.StoredProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The binder's work outside any transaction: decrypts each profile's PPKs (under its batch's data
 * key, which the HSM unwraps once per chunk and which is wiped after the chunk; or, for profiles
 * stored before envelope encryption, directly by the HSM's KEK), builds the package in PPK mode
 * (the engine: fresh ephemeral key, ECDH, KDF and BSP in the JVM, all wiped after use), signs in
 * the HSM (verified before use), and wipes the PPKs.
 */
final class PackageBuilder {

  private static final Logger log = LoggerFactory.getLogger(PackageBuilder.class);

  /** A built package: the binding's head (the A3 stays in the profile row, see the outbox). */
  record Built(
      ReservedBinding r, Iccid iccid, byte[] payload, Integer a3Length, String signatureHash) {}

  /** The chunk's packages and the bindings that could not become one. */
  record Chunk(List<Built> built, List<ReservedBinding> broken) {}

  private final ProfileJdbcRepository profiles;
  private final DataKeyRepository dataKeys;
  private final KeyEncryptionKey kek;
  private final Signer signer;
  private final HostId hostId;

  PackageBuilder(
      ProfileJdbcRepository profiles,
      DataKeyRepository dataKeys,
      KeyEncryptionKey kek,
      Signer signer,
      HostId hostId) {
    this.profiles = profiles;
    this.dataKeys = dataKeys;
    this.kek = kek;
    this.signer = signer;
    this.hostId = hostId;
  }

  Chunk build(List<ReservedBinding> reserved) {
    Map<Long, StoredProfile> rows =
        profiles.forBinding(reserved.stream().map(ReservedBinding::profileId).toArray(Long[]::new));
    List<Built> built = new ArrayList<>(reserved.size());
    List<ReservedBinding> broken = new ArrayList<>();
    String[] keyIds =
        rows.values().stream()
            .map(StoredProfile::dataKeyId)
            .filter(Objects::nonNull)
            .distinct()
            .map(UUID::toString)
            .toArray(String[]::new);
    try (DataKeys keys = new DataKeys(dataKeys.wrapped(keyIds))) {
      for (ReservedBinding r : reserved) {
        try {
          built.add(build(r, rows.get(r.profileId()), keys));
        } catch (RuntimeException e) {
          log.error(
              "binding {} could not be built: {}", r.bindingId(), e.getClass().getSimpleName());
          broken.add(r);
        }
      }
    }
    return new Chunk(built, broken);
  }

  /**
   * A chunk's data keys: each unwrapped through the HSM on first use, all wiped by {@link
   * #close()}. Used by one thread.
   */
  private final class DataKeys implements AutoCloseable {
    private final Map<UUID, WrappedSecret> wrapped;
    private final Map<UUID, DataKey> open = new HashMap<>();

    DataKeys(Map<UUID, WrappedSecret> wrapped) {
      this.wrapped = wrapped;
    }

    DataKey get(UUID id) {
      DataKey k = open.get(id);
      if (k == null) {
        WrappedSecret w = wrapped.get(id);
        if (w == null) {
          throw new IllegalStateException("data key missing");
        }
        k = DataKey.unwrap(kek, id, w);
        open.put(id, k);
      }
      return k;
    }

    @Override
    public void close() {
      open.values().forEach(DataKey::close);
      open.clear();
    }
  }

  /** The profile's PPKs in the clear (48 packed bytes; the caller closes them). */
  private SecretBytes ppks(StoredProfile p, DataKeys keys) {
    WrappedSecret stored = new WrappedSecret(p.nonce(), p.wrapped());
    return switch (p.format()) {
      case PpkCodec.FORMAT_KEK -> kek.unwrap(stored, PpkCodec.aad(p.iccid().value()));
      case PpkCodec.FORMAT_DATA_KEY ->
          keys.get(p.dataKeyId()).open(stored, PpkCodec.aad(p.iccid().value(), p.dataKeyId()));
      default -> throw new IllegalStateException("unknown PPK format " + p.format());
    };
  }

  private Built build(ReservedBinding r, StoredProfile p, DataKeys keys) {
    try (SecretBytes packed = ppks(p, keys);
        ProfileProtectionKeys ppks = PpkCodec.unpack(packed)) {
      // Only the stored profile's head is read: the package is the binding's head followed by the
      // stored A3 (12 KB, the same for every binding of the profile), which the outbox does not
      // hold a second time; the dispatcher appends it from the profile row.
      ProtectedProfilePackage.StoredHead stored = storedHead(r.profileId(), p);
      BoundProfilePackageHead head =
          BoundProfilePackageBuilder.bind(
                  signer, hostId, r.eid(), EcPublicKey.fromUncompressed(r.curve(), r.otPk()))
              .ppkMode(stored, ppks)
              .transactionId(r.transactionId())
              .buildHead();
      byte[] sig = head.initialiseSecureChannel().signature();
      return new Built(r, p.iccid(), head.encode(), head.a3Length(), shortHash(sig));
    } catch (ProfilePackageException e) {
      throw new IllegalStateException("stored protected profile is unreadable", e);
    }
  }

  /** The stored profile's head, from the prefix read with the chunk (or, if too short, whole). */
  private ProtectedProfilePackage.StoredHead storedHead(long profileId, StoredProfile p)
      throws ProfilePackageException {
    if (p.segmentsPrefix().length < p.segmentsLength()) {
      try {
        return ProtectedProfilePackage.readHead(p.segmentsPrefix(), p.segmentsLength());
      } catch (ProfilePackageException e) {
        // A head longer than the prefix (a long profile name): read the whole encoding below.
      }
    }
    return ProtectedProfilePackage.readHead(profiles.protectedSegments(profileId));
  }

  private static String shortHash(byte[] b) {
    return AuditEntries.HEX.formatHex(CryptoProviders.sha256().digest(b));
  }
}
