package org.ifpp.euicc.chip;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.ifpp.crypto.bpp.BppEuiccOtpk;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.finalisation.FinalisationCommand;
import org.ifpp.crypto.finalisation.FinalisationReceipt;
import org.ifpp.crypto.finalisation.SignedFinalisationCommand;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.euicc.SimulatorError;

/**
 * One simulated eUICC: its identity, its one-time keys, its lifecycle flags and its installed
 * profiles (IFPP.md sections 3, 4 and 6).
 *
 * <p>All state changes happen under the chip's own lock ({@link #locked}), which makes every load
 * on one chip sequential, as on a real card: two concurrent loads of the same package see the key
 * consumed by whichever came first (GENS08). Different chips never contend.
 *
 * <p>Lifecycle (GENS13, DMF03/EUICCF03, EUICCF04): a chip leaves manufacturing in production mode
 * with IFPP loading enabled and field (LPA/IPA) services locked. {@link #finalise}, on the device
 * maker's signed command, wipes every unused one-time key, disables IFPP loading, and then unlocks
 * field services, which can only be unlocked once no one-time key remains.
 */
public final class Chip {

  /** Failure notifications kept at most; the oldest goes first. */
  public static final int MAX_PENDING_FAILURES = 32;

  private final Eid eid;
  private final ChipIdentity identity;
  private final List<OneTimeKeySlot> oneTimeKeys;
  private final List<InstalledProfile> profiles;
  private final List<PendingNotification> notifications;
  private final ReentrantLock lock = new ReentrantLock();
  private final EcPublicKey deviceMakerKey;
  private boolean ifppEnabled;
  private boolean fieldServicesEnabled;
  private long sequenceNumber;
  private long finalisationCounter;
  private volatile Instant manufacturedAt;

  /**
   * @param deviceMakerKey the device maker's key the chip trusts for finalisation commands, given
   *     at manufacturing; null for a chip made without one (it can never be finalised by command)
   * @param finalisationCounter the counter of the last finalisation command accepted, 0 for none
   */
  public Chip(
      Eid eid,
      ChipIdentity identity,
      List<OneTimeKeySlot> oneTimeKeys,
      List<InstalledProfile> profiles,
      boolean ifppEnabled,
      boolean fieldServicesEnabled,
      long sequenceNumber,
      List<PendingNotification> notifications,
      EcPublicKey deviceMakerKey,
      long finalisationCounter) {
    this.sequenceNumber = sequenceNumber;
    this.deviceMakerKey = deviceMakerKey;
    if (finalisationCounter < 0) {
      throw new IllegalArgumentException("finalisation counter must not be negative");
    }
    this.finalisationCounter = finalisationCounter;
    this.notifications = new ArrayList<>(notifications);
    this.eid = Objects.requireNonNull(eid, "eid");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.oneTimeKeys = new ArrayList<>(oneTimeKeys);
    this.profiles = new ArrayList<>(profiles);
    this.ifppEnabled = ifppEnabled;
    this.fieldServicesEnabled = fieldServicesEnabled;
    if (fieldServicesEnabled && unusedKeyCount() > 0) {
      throw new IllegalArgumentException("field services cannot be on while one-time keys remain");
    }
  }

  /**
   * A freshly manufactured chip: production mode, all keys unused, no profile, trusting {@code
   * deviceMakerKey} (may be null) for its finalisation command.
   */
  public static Chip manufactured(
      Eid eid, ChipIdentity identity, List<OneTimeKeySlot> keys, EcPublicKey deviceMakerKey) {
    return new Chip(eid, identity, keys, List.of(), true, false, 1, List.of(), deviceMakerKey, 0);
  }

  /**
   * {@link #manufactured(Eid, ChipIdentity, List, EcPublicKey)} by the maker that has just issued
   * the identity's certificate and passes its notBefore as {@code manufacturedAt}: the chip then
   * need not parse its own certificate on its first load (an X.509 parse was 6.5 % of the
   * simulator's CPU in the line phase, JFR 2026-12-05).
   */
  public static Chip manufactured(
      Eid eid,
      ChipIdentity identity,
      List<OneTimeKeySlot> keys,
      EcPublicKey deviceMakerKey,
      Instant manufacturedAt) {
    Chip chip = manufactured(eid, identity, keys, deviceMakerKey);
    chip.manufacturedAt = Objects.requireNonNull(manufacturedAt, "manufacturedAt");
    return chip;
  }

  /**
   * The chip's manufacturing date, all it knows of time (it has no trusted clock): the notBefore of
   * its own certificate CERT.EUICC, which the EUM issued when it made the chip. Given by the maker
   * or read once.
   */
  public Instant manufacturedAt() {
    Instant at = manufacturedAt;
    if (at == null) {
      at = identity.certificate().getNotBefore().toInstant();
      manufacturedAt = at;
    }
    return at;
  }

  /** The device maker's key this chip trusts for finalisation, if it was given one. */
  public Optional<EcPublicKey> deviceMakerKey() {
    return Optional.ofNullable(deviceMakerKey);
  }

  /** The counter of the last accepted finalisation command (0: none yet). */
  public long finalisationCounter() {
    requireLocked();
    return finalisationCounter;
  }

  public Eid eid() {
    return eid;
  }

  public ChipIdentity identity() {
    return identity;
  }

  /** Runs {@code action} holding this chip's lock. */
  public <T> T locked(Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  private void requireLocked() {
    if (!lock.isHeldByCurrentThread()) {
      throw new IllegalStateException("chip state is read or changed only under its lock");
    }
  }

  public boolean ifppEnabled() {
    requireLocked();
    return ifppEnabled;
  }

  public boolean fieldServicesEnabled() {
    requireLocked();
    return fieldServicesEnabled;
  }

  /** All one-time key slots, in creation order (read-only view). */
  public List<OneTimeKeySlot> oneTimeKeys() {
    requireLocked();
    return Collections.unmodifiableList(oneTimeKeys);
  }

  public List<OneTimeKeySlot> unusedKeys() {
    requireLocked();
    return oneTimeKeys.stream().filter(OneTimeKeySlot::isUnused).toList();
  }

  public int unusedKeyCount() {
    int n = 0;
    for (OneTimeKeySlot k : oneTimeKeys) {
      if (k.isUnused()) {
        n++;
      }
    }
    return n;
  }

  /** The unused slot holding this public key, if any. */
  public Optional<OneTimeKeySlot> unusedKey(EcPublicKey publicKey) {
    requireLocked();
    return oneTimeKeys.stream()
        .filter(k -> k.isUnused() && k.publicKey().equals(publicKey))
        .findFirst();
  }

  /**
   * The slot of the key {@code named} (SGP.22's bppEuiccOtpk), whatever its state: unused, or spent
   * (consumed or wiped, of which the chip keeps the public key); empty if it was never this chip's.
   */
  public Optional<OneTimeKeySlot> slotNamed(BppEuiccOtpk named) {
    requireLocked();
    for (OneTimeKeySlot k : oneTimeKeys) {
      if (named.names(k.publicKey())) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /**
   * Consumes an unused one-time key (section 6 step 6). The slot forgets the key pair; the opener
   * that holds it for this load's ECDH closes (wipes) it right after. The caller persists the chip
   * before going on.
   *
   * @return false if the key was not unused (already consumed by a concurrent or earlier load)
   */
  public boolean consume(EcPublicKey publicKey) {
    requireLocked();
    Optional<OneTimeKeySlot> slot = unusedKey(publicKey);
    slot.ifPresent(s -> s.markSpent(OneTimeKeySlot.State.CONSUMED, false));
    return slot.isPresent();
  }

  /** The next notification sequence number for a Profile Installation Result; advances it. */
  public long nextSequenceNumber() {
    requireLocked();
    return sequenceNumber++;
  }

  /** The sequence number the next result will carry (for persistence). */
  public long sequenceNumber() {
    requireLocked();
    return sequenceNumber;
  }

  public List<InstalledProfile> profiles() {
    requireLocked();
    return Collections.unmodifiableList(profiles);
  }

  public boolean hasProfile(Iccid iccid) {
    requireLocked();
    return profiles.stream().anyMatch(p -> p.iccid().equals(iccid));
  }

  /** Bytes of profile memory in use (sum of installed profile sizes). */
  public long profileMemoryUsed() {
    requireLocked();
    return profiles.stream().mapToLong(InstalledProfile::sizeBytes).sum();
  }

  public void install(InstalledProfile profile) {
    requireLocked();
    if (hasProfile(profile.iccid())) {
      throw new IllegalStateException("ICCID already installed");
    }
    profiles.add(profile);
  }

  /** The installed profile with this ICCID, if any. */
  public Optional<InstalledProfile> profile(Iccid iccid) {
    requireLocked();
    return profiles.stream().filter(p -> p.iccid().equals(iccid)).findFirst();
  }

  /** The installed profile whose ISD-P has this AID (hex, any case), if any. */
  public Optional<InstalledProfile> profileByIsdpAid(String aidHex) {
    requireLocked();
    return profiles.stream().filter(p -> p.isdpAid().equalsIgnoreCase(aidHex)).findFirst();
  }

  /** The AID for a new ISD-P: the lowest ISD-P number no installed profile uses. */
  public String nextIsdpAid() {
    requireLocked();
    for (int n = 1; ; n++) {
      String aid = InstalledProfile.isdpAidNumber(n);
      if (profileByIsdpAid(aid).isEmpty()) {
        return aid;
      }
    }
  }

  /** Replaces the installed profile with the same ICCID (state, nickname); the caller persists. */
  public void updateProfile(InstalledProfile updated) {
    requireLocked();
    for (int i = 0; i < profiles.size(); i++) {
      if (profiles.get(i).iccid().equals(updated.iccid())) {
        profiles.set(i, updated);
        return;
      }
    }
    throw new IllegalStateException("no installed profile " + updated.iccid());
  }

  /** Deletes an installed profile (ES10c.DeleteProfile); the caller persists. */
  public boolean removeProfile(Iccid iccid) {
    requireLocked();
    return profiles.removeIf(p -> p.iccid().equals(iccid));
  }

  /** The pending notifications, oldest first (read-only view). */
  public List<PendingNotification> notifications() {
    requireLocked();
    return Collections.unmodifiableList(notifications);
  }

  /** Whether a pending notification answers this transaction. */
  public boolean hasNotificationFor(TransactionId transactionId) {
    requireLocked();
    return notifications.stream().anyMatch(n -> n.transactionId().equals(transactionId));
  }

  /**
   * Keeps a signed result as a pending notification until it is removed (SGP.22 5.7.9-5.7.11). The
   * caller persists the chip in the same save as the outcome it reports. Successes are never
   * dropped (there is at most one per one-time key); of failures only the newest {@link
   * #MAX_PENDING_FAILURES} are kept, so that a flood of refused packages cannot grow the chip.
   */
  public void addNotification(PendingNotification notification) {
    requireLocked();
    notifications.add(notification);
    long failures = notifications.stream().filter(n -> !n.installed()).count();
    for (int i = 0; failures > MAX_PENDING_FAILURES && i < notifications.size(); i++) {
      if (!notifications.get(i).installed()) {
        notifications.remove(i);
        failures--;
        i--;
      }
    }
  }

  /**
   * Removes an acknowledged notification (SGP.22 5.7.11); the caller persists the chip.
   *
   * @return false if no pending notification has this sequence number
   */
  public boolean removeNotification(long seqNumber) {
    requireLocked();
    return notifications.removeIf(n -> n.seqNumber() == seqNumber);
  }

  /**
   * Ends production on the device maker's signed command (GENS13, DMF03/EUICCF03), checked in this
   * order, each refusal changing nothing: the command names this chip's EID; the chip was given a
   * device-maker key; the signature verifies under it; the counter is greater than the last one
   * accepted. Then it wipes all unused one-time keys, disables IFPP loading, unlocks field services
   * and remembers the counter; the caller persists the chip before answering.
   *
   * @return the receipt to sign (keys wiped by this command, IFPP locked, the counter)
   * @throws ChipStateException with the refusal's code
   */
  public FinalisationReceipt finalise(SignedFinalisationCommand signed) {
    requireLocked();
    FinalisationCommand command = signed.command();
    if (!command.eid().equals(eid)) {
      throw new ChipStateException(
          SimulatorError.FINALISATION_WRONG_CHIP, "the command is for another chip");
    }
    if (deviceMakerKey == null) {
      throw new ChipStateException(
          SimulatorError.NO_DEVICE_MAKER_KEY, "this chip was given no device-maker key");
    }
    if (!signed.verify(deviceMakerKey)) {
      throw new ChipStateException(
          SimulatorError.FINALISATION_SIGNATURE_INVALID,
          "the command is not signed by the device maker this chip trusts");
    }
    if (command.counter() <= finalisationCounter) {
      throw new ChipStateException(
          SimulatorError.FINALISATION_REPLAYED,
          "counter " + command.counter() + " is not greater than " + finalisationCounter);
    }
    int wiped = finaliseProduction();
    finalisationCounter = command.counter();
    return new FinalisationReceipt(eid, command.counter(), wiped, !ifppEnabled);
  }

  /**
   * Wipes all unused one-time keys, disables IFPP loading, then unlocks field services. Reached
   * only through {@link #finalise}.
   *
   * @return how many keys were wiped
   */
  int finaliseProduction() {
    requireLocked();
    int wiped = 0;
    for (OneTimeKeySlot k : oneTimeKeys) {
      if (k.isUnused()) {
        k.markSpent(OneTimeKeySlot.State.WIPED, true);
        wiped++;
      }
    }
    ifppEnabled = false;
    enableFieldServices();
    return wiped;
  }

  /**
   * Unlocks field (LPA/IPA) services, which also ends IFPP loading (GENS13).
   *
   * @throws ChipStateException {@code oneTimeKeysRemain} while an unused one-time key exists
   *     (EUICCF04)
   */
  public void enableFieldServices() {
    requireLocked();
    if (unusedKeyCount() > 0) {
      throw new ChipStateException(
          SimulatorError.ONE_TIME_KEYS_REMAIN,
          "field services stay locked while " + unusedKeyCount() + " one-time keys remain");
    }
    ifppEnabled = false;
    fieldServicesEnabled = true;
  }

  @Override
  public String toString() {
    return "Chip[" + eid + "]";
  }
}
