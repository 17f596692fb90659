package org.ifpp.keymaker.profiles;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.ifpp.crypto.bpp.ProfilePackageException;
import org.ifpp.crypto.bpp.ProfileProtectionKeys;
import org.ifpp.crypto.bpp.ProtectedProfilePackage;
import org.ifpp.crypto.bpp.UnprotectedProfilePackage;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.ifpp.keymaker.batches.BatchRepository;
import org.ifpp.keymaker.hsm.DataKey;
import org.ifpp.keymaker.hsm.KeyEncryptionKey;
import org.ifpp.keymaker.hsm.WrappedSecret;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.web.DomainException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports plain profiles (UPPs) and protects each at once (IFPP.md section 4 step 2): parse and
 * validate the header and ICCID, draw fresh random PPKs, protect, seal the PPKs under a fresh data
 * key (one per {@link #PROFILES_PER_DATA_KEY} profiles of the batch, wrapped by the HSM's KEK and
 * wiped after the import), store the protected form, the sealed PPKs and the wrapped data key,
 * audit. The plain bytes live only in memory for the duration of the call and are wiped; they are
 * never stored or logged.
 *
 * <p>A batch is all or nothing: every profile is validated (and checked for duplicates, also within
 * the batch) before any is stored.
 */
@Service
public class ProfileImportService {

  /**
   * At most this many profiles share one data key: a data key exposed (a memory dump while it is
   * unwrapped) exposes the PPKs of at most this many profiles.
   */
  public static final int PROFILES_PER_DATA_KEY = 1_000;

  static final Pattern POOL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final ProfileRepository profiles;
  private final KeyEncryptionKey kek;
  private final AuditLog audit;
  private final TransactionTemplate tx;
  private final BatchRepository batches;
  private final DataKeyRepository dataKeys;
  private final SecureRandom random = new SecureRandom();

  public ProfileImportService(
      ProfileRepository profiles,
      KeyEncryptionKey kek,
      AuditLog audit,
      TransactionTemplate tx,
      BatchRepository batches,
      DataKeyRepository dataKeys) {
    this.batches = batches;
    this.dataKeys = dataKeys;
    this.profiles = profiles;
    this.kek = kek;
    this.audit = audit;
    this.tx = tx;
  }

  /** A stored profile's public status. */
  public record Imported(String iccid, String pool, String profileName, String state) {}

  /**
   * Imports the given DER UPPs into {@code pool}. Wipes every input array, whatever happens.
   *
   * @throws DomainException 400 {@code invalid-pool}, {@code malformed-profile}, {@code
   *     invalid-profile-structure}, {@code invalid-profile-value}; 409 {@code duplicate-iccid}
   */
  public List<Imported> importAll(String actor, String pool, List<byte[]> ders) {
    int[] item = {-1};
    try {
      return importChecked(actor, pool, ders, item);
    } catch (DomainException refused) {
      recordRefusal(actor, pool, ders.size(), item[0], refused);
      throw refused;
    }
  }

  /**
   * A refused import stores nothing of its profiles, but is kept in the audit log ({@code
   * PROFILE_IMPORT_REFUSED}: the code, the number of profiles and which one was refused; no profile
   * content and no message that could quote one), for the import history. Recording it never hides
   * the refusal.
   */
  private void recordRefusal(String actor, String pool, int profiles, int item, DomainException e) {
    try {
      tx.executeWithoutResult(
          s ->
              audit.append(
                  AuditRecord.of(
                      actor,
                      "PROFILE_IMPORT_REFUSED",
                      pool != null && POOL.matcher(pool).matches() ? pool : "-",
                      "code",
                      e.code(),
                      "profiles",
                      Integer.toString(profiles),
                      "item",
                      item < 0 ? "-" : "profiles[" + item + "]")));
    } catch (RuntimeException recording) {
      e.addSuppressed(recording);
    }
  }

  private List<Imported> importChecked(String actor, String pool, List<byte[]> ders, int[] item) {
    List<ProfileEntity> entities = new ArrayList<>(ders.size());
    try {
      if (pool == null || !POOL.matcher(pool).matches()) {
        throw new DomainException(
            KeymakerError.INVALID_POOL, "pool: [A-Za-z0-9][A-Za-z0-9._-]{0,63}");
      }
      if (ders.isEmpty()) {
        throw new DomainException(KeymakerError.EMPTY_IMPORT, "at least one profile");
      }
      UUID batch = UUID.randomUUID();
      Set<String> seen = new HashSet<>();
      List<Object[]> dataKeyRows = new ArrayList<>();
      DataKey dataKey = null;
      try {
        for (int i = 0; i < ders.size(); i++) {
          item[0] = i;
          if (i % PROFILES_PER_DATA_KEY == 0) {
            if (dataKey != null) {
              dataKey.close();
            }
            dataKey = DataKey.generate(random);
            WrappedSecret w = dataKey.wrapWith(kek);
            dataKeyRows.add(new Object[] {dataKey.id(), w.nonce(), w.ciphertext(), kek.label()});
          }
          ProfileEntity e =
              protect(
                  ders.get(i),
                  pool,
                  batch,
                  dataKey,
                  ders.size() > 1 ? "profiles[" + i + "]: " : "");
          if (!seen.add(e.iccid())) {
            throw new DomainException(
                KeymakerError.DUPLICATE_ICCID, "ICCID " + e.iccid() + " appears twice");
          }
          entities.add(e);
        }
      } finally {
        if (dataKey != null) {
          dataKey.close();
        }
      }
      item[0] = -1;
      List<String> existing =
          profiles.findByIccidIn(new ArrayList<>(seen)).stream().map(ProfileEntity::iccid).toList();
      if (!existing.isEmpty()) {
        throw new DomainException(
            KeymakerError.DUPLICATE_ICCID, "already imported: " + String.join(", ", existing));
      }
      return tx.execute(
          s -> {
            batches.insert(batch, BatchRepository.Kind.IMPORT, entities.size());
            dataKeys.insertAll(dataKeyRows);
            profiles.saveAll(entities);
            List<AuditRecord> records = new ArrayList<>();
            for (ProfileEntity e : entities) {
              records.add(
                  AuditRecord.of(
                      actor,
                      "PROFILE_IMPORTED",
                      e.iccid(),
                      "pool",
                      pool,
                      "batch",
                      batch.toString()));
            }
            audit.appendAll(records);
            return entities.stream()
                .map(e -> new Imported(e.iccid(), e.pool(), e.profileName(), e.state().name()))
                .toList();
          });
    } catch (org.springframework.dao.DuplicateKeyException e) {
      throw new DomainException(KeymakerError.DUPLICATE_ICCID, "a profile with this ICCID exists");
    } finally {
      for (byte[] der : ders) {
        if (der != null) {
          Arrays.fill(der, (byte) 0);
        }
      }
    }
  }

  /** One profile's status. */
  public java.util.Optional<Imported> find(Iccid iccid) {
    return profiles.findByIccid(iccid.value()).map(ProfileImportService::view);
  }

  /** A page of a pool's profiles (status only), optionally in one state. */
  public List<Imported> list(String pool, ProfileState state, int page, int size) {
    org.springframework.data.domain.PageRequest p =
        org.springframework.data.domain.PageRequest.of(page, size);
    List<ProfileEntity> found =
        state == null
            ? profiles.findByPoolOrderById(pool, p)
            : profiles.findByPoolAndStateOrderById(pool, state, p);
    return found.stream().map(ProfileImportService::view).toList();
  }

  private static Imported view(ProfileEntity e) {
    return new Imported(e.iccid(), e.pool(), e.profileName(), e.state().name());
  }

  private ProfileEntity protect(
      byte[] der, String pool, UUID batch, DataKey dataKey, String where) {
    try (UnprotectedProfilePackage upp = UnprotectedProfilePackage.parse(der);
        ProfileProtectionKeys ppks = ProfileProtectionKeys.generate(random);
        SecretBytes packed = PpkCodec.pack(ppks)) {
      ProtectedProfilePackage ppp = ProtectedProfilePackage.protect(upp, ppks);
      String iccid = upp.iccid().value();
      WrappedSecret sealed = dataKey.seal(packed, PpkCodec.aad(iccid, dataKey.id()), random);
      return new ProfileEntity(
          iccid,
          pool,
          upp.profileName().orElse(null),
          ppp.encode(),
          sealed.nonce(),
          sealed.ciphertext(),
          kek.label(),
          PpkCodec.FORMAT_DATA_KEY,
          dataKey.id(),
          batch);
    } catch (ProfilePackageException e) {
      KeymakerError code =
          switch (e.code()) {
            case MALFORMED_TLV -> KeymakerError.MALFORMED_PROFILE;
            case INVALID_STRUCTURE -> KeymakerError.INVALID_PROFILE_STRUCTURE;
            case INVALID_VALUE -> KeymakerError.INVALID_PROFILE_VALUE;
          };
      throw new DomainException(code, where + e.getMessage());
    }
  }
}
