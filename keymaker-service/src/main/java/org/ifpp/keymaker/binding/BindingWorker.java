package org.ifpp.keymaker.binding;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ifpp.crypto.bpp.BoundProfilePackageBuilder;
import org.ifpp.crypto.bpp.BoundProfilePackageHead;
import org.ifpp.crypto.bpp.ProfileProtectionKeys;
import org.ifpp.crypto.bpp.ProtectedProfilePackage;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.HostId;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.provider.CryptoProviders;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.signing.Signer;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.ifpp.keymaker.hsm.DataKey;
import org.ifpp.keymaker.hsm.KeyEncryptionKey;
import org.ifpp.keymaker.hsm.WrappedSecret;
import org.ifpp.keymaker.profiles.PpkCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns PLANNED bindings into signed packages in the outbox, a chunk at a time (IFPP.md section 4
 * step 4). Per chunk:
 *
 * <ol>
 *   <li>Transaction 1: claim PLANNED bindings ({@code SKIP LOCKED}: threads and instances never
 *       take the same one), give each an unused one-time key of its eUICC, mark the key SPENT, draw
 *       the transactionId, audit; commit. From here a key is never offered again, even if the
 *       process dies before the package exists (GENS08).
 *   <li>Outside any transaction: decrypt the profile's PPKs (under its batch's data key, which the
 *       HSM unwraps once per chunk and which is wiped after the chunk; or, for profiles stored
 *       before envelope encryption, directly by the HSM's KEK), build the package in PPK mode (the
 *       engine: fresh ephemeral key, ECDH, KDF and BSP in the JVM, all wiped after use), sign in
 *       the HSM (verified before use), wipe the PPKs.
 *   <li>Transaction 2: binding BOUND, package into the outbox, audit the signature; commit.
 * </ol>
 *
 * A binding whose package could not be made is FAILED and re-planned (bounded attempts).
 */
public class BindingWorker {

  private static final Logger log = LoggerFactory.getLogger(BindingWorker.class);

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final AuditLog audit;
  private final KeyEncryptionKey kek;
  private final Signer signer;
  private final HostId hostId;
  private final BindingProperties properties;
  private final SecureRandom random = new SecureRandom();
  private final Counter bound;
  private final Counter failed;
  private final Timer chunkTimer;
  private final Timer reserveTimer;
  private final Timer buildTimer;
  private final Timer completeTimer;

  public BindingWorker(
      JdbcTemplate jdbc,
      TransactionTemplate tx,
      AuditLog audit,
      KeyEncryptionKey kek,
      Signer signer,
      BindingProperties properties,
      MeterRegistry registry) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.audit = audit;
    this.kek = kek;
    this.signer = signer;
    this.hostId = HostId.ofText(properties.hostId());
    this.properties = properties;
    this.bound = Counter.builder("keymaker.bindings").tag("outcome", "bound").register(registry);
    this.failed = Counter.builder("keymaker.bindings").tag("outcome", "failed").register(registry);
    this.chunkTimer = Timer.builder("keymaker.bindings.chunk").register(registry);
    this.reserveTimer =
        Timer.builder("keymaker.bindings.phase").tag("phase", "reserve").register(registry);
    this.buildTimer =
        Timer.builder("keymaker.bindings.phase").tag("phase", "build").register(registry);
    this.completeTimer =
        Timer.builder("keymaker.bindings.phase").tag("phase", "complete").register(registry);
  }

  /** A binding with its key reserved, ready to be built. */
  record Reserved(
      long bindingId,
      int attempt,
      long profileId,
      long euiccId,
      Eid eid,
      Curve curve,
      int keyIndex,
      byte[] otPk,
      byte[] transactionId) {}

  /** A built package. */
  private record Built(
      Reserved r, String iccid, byte[] payload, Integer a3Length, String signatureHash) {}

  /**
   * Processes one chunk.
   *
   * @return how many bindings were claimed (0: nothing to do)
   */
  public int runOnce() {
    long start = System.nanoTime();
    List<Reserved> reserved = tx.execute(s -> reserve(properties.chunk()));
    if (reserved == null || reserved.isEmpty()) {
      return 0;
    }
    long reservedAt = System.nanoTime();
    reserveTimer.record(reservedAt - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    Map<Long, ProfileRow> profiles = loadProfiles(reserved);
    List<Built> built = new ArrayList<>(reserved.size());
    List<Reserved> broken = new ArrayList<>();
    // The data keys this chunk needs, each unwrapped once (on first use) and wiped after the chunk.
    DataKeys dataKeys = new DataKeys(loadDataKeys(profiles.values()));
    try {
      for (Reserved r : reserved) {
        try {
          built.add(build(r, profiles.get(r.profileId()), dataKeys));
        } catch (RuntimeException e) {
          log.error(
              "binding {} could not be built: {}", r.bindingId(), e.getClass().getSimpleName());
          broken.add(r);
        }
      }
    } finally {
      dataKeys.close();
    }
    long builtAt = System.nanoTime();
    buildTimer.record(builtAt - reservedAt, java.util.concurrent.TimeUnit.NANOSECONDS);
    tx.executeWithoutResult(
        s -> {
          complete(built);
          for (Reserved r : broken) {
            fail(r, "binding-error");
          }
        });
    completeTimer.record(System.nanoTime() - builtAt, java.util.concurrent.TimeUnit.NANOSECONDS);
    bound.increment(built.size());
    failed.increment(broken.size());
    chunkTimer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    return reserved.size();
  }

  /** A claimed PLANNED binding (typed rows: no column-name map per row on the hot path). */
  private record Planned(
      long id, int attempt, long profileId, long euiccId, String eid, String curve) {}

  /** A one-time key just marked SPENT. */
  private record SpentKey(long id, long euiccId, int keyIndex, byte[] publicKey) {}

  private static final org.springframework.jdbc.core.RowMapper<SpentKey> SPENT_KEY =
      (rs, i) ->
          new SpentKey(
              rs.getLong("id"),
              rs.getLong("euicc_id"),
              rs.getInt("key_index"),
              rs.getBytes("public_key"));

  private List<Reserved> reserve(int limit) {
    List<Planned> planned =
        jdbc.query(
            "select b.id, b.attempt, b.profile_id, b.euicc_id, e.eid, e.curve from bindings b"
                + " join euiccs e on e.id = b.euicc_id where b.planned order by b.id"
                + " limit ? for update of b skip locked",
            (rs, i) ->
                new Planned(
                    rs.getLong(1),
                    rs.getInt(2),
                    rs.getLong(3),
                    rs.getLong(4),
                    rs.getString(5),
                    rs.getString(6)),
            limit);
    Map<Long, ArrayDeque<SpentKey>> keys = spendKeys(planned);
    List<Reserved> out = new ArrayList<>(planned.size());
    List<AuditRecord> records = new ArrayList<>(planned.size());
    List<Object[]> reservations = new ArrayList<>(planned.size());
    List<Object[]> noKeyBindings = new ArrayList<>();
    List<Object[]> noKeyProfiles = new ArrayList<>();
    for (Planned p : planned) {
      long bindingId = p.id();
      long euiccId = p.euiccId();
      ArrayDeque<SpentKey> own = keys.get(euiccId);
      SpentKey key = own == null || own.isEmpty() ? spendKey(euiccId) : own.poll();
      if (key == null) {
        noKeyBindings.add(new Object[] {bindingId});
        noKeyProfiles.add(new Object[] {p.profileId()});
        records.add(
            AuditRecord.of(
                "binder", "BINDING_FAILED", Long.toString(bindingId), "code", "no-one-time-key"));
        continue;
      }
      byte[] txId = new byte[16];
      random.nextBytes(txId);
      reservations.add(new Object[] {key.id(), txId, bindingId});
      Reserved r =
          new Reserved(
              bindingId,
              p.attempt(),
              p.profileId(),
              euiccId,
              Eid.of(p.eid()),
              Curve.valueOf(p.curve()),
              key.keyIndex(),
              key.publicKey(),
              txId);
      out.add(r);
    }
    if (!noKeyBindings.isEmpty()) {
      jdbc.batchUpdate(
          "update bindings set state = 'FAILED', result_code = 'no-one-time-key',"
              + " updated_at = now() where id = ?",
          noKeyBindings);
      jdbc.batchUpdate(
          "update profiles set state = 'AVAILABLE', updated_at = now() where id = ?",
          noKeyProfiles);
    }
    if (!reservations.isEmpty()) {
      // One statement for the chunk.
      jdbc.update(
          "update bindings b set state = 'RESERVED', one_time_key_id = v.key_id,"
              + " transaction_id = v.tx_id, updated_at = now()"
              + " from unnest(?::bigint[], ?::bytea[], ?::bigint[]) as v (key_id, tx_id, id)"
              + " where b.id = v.id",
          reservations.stream().map(o -> (Long) o[0]).toArray(Long[]::new),
          reservations.stream().map(o -> (byte[]) o[1]).toArray(byte[][]::new),
          reservations.stream().map(o -> (Long) o[2]).toArray(Long[]::new));
    }
    if (!out.isEmpty()) {
      // One record for the chunk's key spends (each binding, its chip, key and transactionId
      // listed): the same facts as one record per binding, at one row and one hash per chunk.
      StringBuilder spent = new StringBuilder();
      for (Reserved r : out) {
        entry(
            spent,
            Long.toString(r.bindingId()),
            r.eid().value(),
            Integer.toString(r.keyIndex()),
            HEX.formatHex(r.transactionId()));
      }
      records.add(
          AuditRecord.of(
              "binder",
              "ONE_TIME_KEYS_SPENT",
              "bindings:" + out.get(0).bindingId(),
              "count",
              Integer.toString(out.size()),
              "bindings",
              spent.toString()));
    }
    if (!records.isEmpty()) {
      audit.appendAll(records);
    }
    return out;
  }

  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  /** Appends one list entry: fields joined by '/', entries by ',' (no field contains either). */
  private static void entry(StringBuilder b, String... fields) {
    if (b.length() > 0) {
      b.append(',');
    }
    b.append(String.join("/", fields));
  }

  /**
   * Set-based reservation: one statement marks SPENT, per eUICC of the chunk, as many of its lowest
   * AVAILABLE keys as the chunk has bindings for it (keys locked by a concurrent reservation are
   * skipped). Returns the spent keys per eUICC, lowest index first; a chip that got fewer keys than
   * it needs falls back to {@link #spendKey} for the rest.
   */
  private Map<Long, ArrayDeque<SpentKey>> spendKeys(List<Planned> planned) {
    Map<Long, Integer> needed = new LinkedHashMap<>();
    for (Planned p : planned) {
      needed.merge(p.euiccId(), 1, Integer::sum);
    }
    Map<Long, ArrayDeque<SpentKey>> out = new HashMap<>();
    if (needed.isEmpty()) {
      return out;
    }
    List<SpentKey> spent =
        jdbc.query(
            "with wanted (euicc_id, n) as (select * from unnest(?::bigint[], ?::int[])),"
                + " picked as (select k.id from wanted w cross join lateral (select id from"
                + " one_time_keys where euicc_id = w.euicc_id and state = 'AVAILABLE' order by"
                + " key_index limit w.n for update skip locked) k)"
                + " update one_time_keys t set state = 'SPENT', spent_at = now() from picked"
                + " where t.id = picked.id returning t.id, t.euicc_id, t.key_index, t.public_key",
            SPENT_KEY,
            needed.keySet().toArray(Long[]::new),
            needed.values().toArray(Integer[]::new));
    spent.sort(Comparator.comparingInt(SpentKey::keyIndex));
    for (SpentKey k : spent) {
      out.computeIfAbsent(k.euiccId(), e -> new ArrayDeque<>()).add(k);
    }
    return out;
  }

  /** Marks one AVAILABLE key of the chip SPENT and returns it, or null if none is left. */
  private SpentKey spendKey(long euiccId) {
    for (int attempt = 0; attempt < 5; attempt++) {
      List<SpentKey> key =
          jdbc.query(
              "update one_time_keys set state = 'SPENT', spent_at = now() where id = (select id"
                  + " from one_time_keys where euicc_id = ? and state = 'AVAILABLE' order by"
                  + " key_index limit 1 for update skip locked) returning id, euicc_id, key_index,"
                  + " public_key",
              SPENT_KEY,
              euiccId);
      if (!key.isEmpty()) {
        return key.get(0);
      }
      Long left =
          jdbc.queryForObject(
              "select count(*) from one_time_keys where euicc_id = ? and state = 'AVAILABLE'",
              Long.class,
              euiccId);
      if (left == null || left == 0) {
        return null;
      }
      // Every remaining key is locked by a concurrent reservation: try again.
      Thread.onSpinWait();
    }
    return null;
  }

  private record ProfileRow(
      String iccid,
      byte[] segmentsPrefix,
      int segmentsLength,
      int format,
      UUID dataKeyId,
      byte[] nonce,
      byte[] wrapped) {}

  /**
   * How much of the stored protected profile the binder reads: its head (ICCID, name, A3 tag and
   * length) is in the first bytes; the 12 KB of segments stay in the database (a longer head is
   * read whole, see {@link #storedHead}). PostgreSQL keeps these first bytes in the row, as the
   * generated column {@code profiles.protected_head} (V6), so reading them needs no TOAST lookup.
   */
  static final int HEAD_PREFIX = 256;

  private Map<Long, ProfileRow> loadProfiles(List<Reserved> reserved) {
    Map<Long, ProfileRow> rows = new HashMap<>();
    jdbc.query(
        "select id, iccid, protected_head as segments_prefix,"
            + " octet_length(protected_segments) as segments_length,"
            + " ppk_format, ppk_data_key_id, ppk_nonce, ppk_wrapped from profiles where id = any (?)",
        rs -> {
          rows.put(
              rs.getLong("id"),
              new ProfileRow(
                  rs.getString("iccid"),
                  rs.getBytes("segments_prefix"),
                  rs.getInt("segments_length"),
                  rs.getInt("ppk_format"),
                  rs.getObject("ppk_data_key_id", UUID.class),
                  rs.getBytes("ppk_nonce"),
                  rs.getBytes("ppk_wrapped")));
        },
        (Object) reserved.stream().map(Reserved::profileId).toArray(Long[]::new));
    return rows;
  }

  /** The wrapped data keys the profiles need (not unwrapped yet). */
  private Map<UUID, WrappedSecret> loadDataKeys(java.util.Collection<ProfileRow> rows) {
    String[] ids =
        rows.stream()
            .map(ProfileRow::dataKeyId)
            .filter(java.util.Objects::nonNull)
            .distinct()
            .map(UUID::toString)
            .toArray(String[]::new);
    Map<UUID, WrappedSecret> out = new HashMap<>();
    if (ids.length == 0) {
      return out;
    }
    jdbc.query(
        "select id, nonce, wrapped from ppk_data_keys where id = any (?::uuid[])",
        rs -> {
          out.put(
              rs.getObject("id", UUID.class),
              new WrappedSecret(rs.getBytes("nonce"), rs.getBytes("wrapped")));
        },
        (Object) ids);
    return out;
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
  private SecretBytes ppks(ProfileRow p, DataKeys dataKeys) {
    WrappedSecret stored = new WrappedSecret(p.nonce(), p.wrapped());
    return switch (p.format()) {
      case PpkCodec.FORMAT_KEK -> kek.unwrap(stored, PpkCodec.aad(p.iccid()));
      case PpkCodec.FORMAT_DATA_KEY ->
          dataKeys.get(p.dataKeyId()).open(stored, PpkCodec.aad(p.iccid(), p.dataKeyId()));
      default -> throw new IllegalStateException("unknown PPK format " + p.format());
    };
  }

  private Built build(Reserved r, ProfileRow p, DataKeys dataKeys) {
    try (SecretBytes packed = ppks(p, dataKeys);
        ProfileProtectionKeys ppks = PpkCodec.unpack(packed)) {
      // Only the stored profile's head is read: the package is the binding's head followed by the
      // stored A3 (12 KB, the same for every binding of the profile), which the outbox does not
      // hold a second time; the dispatcher appends it from the profile row.
      ProtectedProfilePackage.StoredHead stored = storedHead(r.profileId(), p);
      BoundProfilePackageHead head =
          BoundProfilePackageBuilder.bind(
                  signer, hostId, r.eid(), EcPublicKey.fromUncompressed(r.curve(), r.otPk()))
              .ppkMode(stored, ppks)
              .transactionId(TransactionId.of(r.transactionId()))
              .buildHead();
      byte[] sig = head.initialiseSecureChannel().signature();
      return new Built(r, p.iccid(), head.encode(), head.a3Length(), shortHash(sig));
    } catch (org.ifpp.crypto.bpp.ProfilePackageException e) {
      throw new IllegalStateException("stored protected profile is unreadable", e);
    }
  }

  /** The stored profile's head, from the prefix read with the chunk (or, if too short, whole). */
  private ProtectedProfilePackage.StoredHead storedHead(long profileId, ProfileRow p)
      throws org.ifpp.crypto.bpp.ProfilePackageException {
    if (p.segmentsPrefix().length < p.segmentsLength()) {
      try {
        return ProtectedProfilePackage.readHead(p.segmentsPrefix(), p.segmentsLength());
      } catch (org.ifpp.crypto.bpp.ProfilePackageException e) {
        // A head longer than the prefix (a long profile name): read the whole encoding below.
      }
    }
    byte[] whole =
        jdbc.queryForObject(
            "select protected_segments from profiles where id = ?", byte[].class, profileId);
    return ProtectedProfilePackage.readHead(whole);
  }

  /**
   * The chunk's bindings RESERVED to BOUND, found by primary key only. The state guard is written
   * {@code (state = 'RESERVED') is true} on purpose: as a plain {@code state = 'RESERVED'}, the
   * statistics of the moment (taken when no binding was RESERVED) made PostgreSQL serve it from an
   * index on state, scanning every live binding per chunk (the live-binding index, ~20,000 entries
   * per chunk in the benchmark, or the batch/state index); the guard is now only a filter on the
   * rows the primary key finds.
   */
  static final String MARK_BOUND =
      "update bindings b set state = 'BOUND', updated_at = now() from unnest(?::bigint[]) as v (id)"
          + " where b.id = v.id and (b.state = 'RESERVED') is true";

  private void complete(List<Built> built) {
    if (built.isEmpty()) {
      return;
    }
    List<Object[]> states = new ArrayList<>(built.size());
    List<Object[]> outbox = new ArrayList<>(built.size());
    StringBuilder signed = new StringBuilder();
    for (Built b : built) {
      states.add(new Object[] {b.r().bindingId()});
      outbox.add(
          new Object[] {
            b.r().bindingId(),
            b.r().eid().value(),
            b.iccid(),
            b.r().transactionId(),
            b.payload(),
            b.a3Length()
          });
      entry(
          signed,
          Long.toString(b.r().bindingId()),
          HEX.formatHex(b.r().transactionId()),
          b.r().eid().value(),
          b.iccid(),
          Integer.toString(b.r().keyIndex()),
          b.signatureHash());
    }
    // One record for the chunk's signed packages (binding/transactionId/EID/ICCID/key index/
    // SHA-256 of the signature, per binding), in the same transaction as the state change.
    AuditRecord record =
        AuditRecord.of(
            "binder",
            "BINDINGS_SIGNED",
            "bindings:" + built.get(0).r().bindingId(),
            "count",
            Integer.toString(built.size()),
            "bindings",
            signed.toString());
    jdbc.update(MARK_BOUND, (Object) states.stream().map(o -> (Long) o[0]).toArray(Long[]::new));
    // One statement for the chunk, the columns as arrays (no per-row parameters to bind and parse).
    jdbc.update(
        "insert into outbox (binding_id, eid, iccid, transaction_id, payload, a3_length, state)"
            + " select v.binding_id, v.eid, v.iccid, v.transaction_id, v.payload, v.a3_length,"
            + " 'PENDING' from unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::bytea[],"
            + " ?::bytea[], ?::int[]) as v (binding_id, eid, iccid, transaction_id, payload,"
            + " a3_length)",
        outbox.stream().map(o -> (Long) o[0]).toArray(Long[]::new),
        outbox.stream().map(o -> (String) o[1]).toArray(String[]::new),
        outbox.stream().map(o -> (String) o[2]).toArray(String[]::new),
        outbox.stream().map(o -> (byte[]) o[3]).toArray(byte[][]::new),
        outbox.stream().map(o -> (byte[]) o[4]).toArray(byte[][]::new),
        outbox.stream().map(o -> (Integer) o[5]).toArray(Integer[]::new));
    audit.append(record);
  }

  /** A reserved binding that cannot become a package: FAILED, and re-planned if attempts remain. */
  void fail(Reserved r, String code) {
    jdbc.update(
        "update bindings set state = 'FAILED', result_code = ?, updated_at = now() where id = ?",
        code,
        r.bindingId());
    audit.append(
        AuditRecord.of("binder", "BINDING_FAILED", Long.toString(r.bindingId()), "code", code));
    Rebinding.replan(jdbc, audit, r.bindingId(), properties.maxAttempts(), "binder");
  }

  private static String shortHash(byte[] b) {
    return HexFormat.of().withUpperCase().formatHex(CryptoProviders.sha256().digest(b));
  }
}
