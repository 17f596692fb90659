package org.ifpp.euicc.loading.internal;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ifpp.crypto.bpp.BppEuiccOtpk;
import org.ifpp.crypto.bpp.OpeningContext;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.euicc.chip.Chip;
import org.ifpp.euicc.chip.OneTimeKeySlot;
import org.ifpp.euicc.store.ChipRepository;

/**
 * One chip seen by the engine's opener, for one load, under the chip's lock (IFPP.md section 6).
 * {@link #consume} persists the consumption durably before the opener derives any key from the
 * one-time key (step 6 before step 7), so a crash after it can never resurrect the key.
 */
public final class ChipOpeningContext implements OpeningContext {

  private final Chip chip;
  private final ChipRepository chips;
  private final BindingCertificateCache certificates;
  private final long profileMemoryBytes;
  private final List<OneTimeKeyPair> handedOut = new ArrayList<>();

  public ChipOpeningContext(
      Chip chip,
      ChipRepository chips,
      BindingCertificateCache certificates,
      long profileMemoryBytes) {
    this.chip = chip;
    this.chips = chips;
    this.certificates = certificates;
    this.profileMemoryBytes = profileMemoryBytes;
  }

  @Override
  public Eid eid() {
    return chip.eid();
  }

  @Override
  public boolean ifppEnabled() {
    return chip.ifppEnabled();
  }

  @Override
  public Optional<EcPublicKey> verifyBindingCertificate(X509Certificate bindingCertificate) {
    return certificates.signingKeyOf(bindingCertificate, chip.manufacturedAt());
  }

  @Override
  public List<OneTimeKeyPair> unusedOneTimeKeys() {
    List<OneTimeKeyPair> pairs = chip.unusedKeys().stream().map(OneTimeKeySlot::keyPair).toList();
    handedOut.addAll(pairs);
    return pairs;
  }

  @Override
  public Optional<OneTimeKeyPair> unusedOneTimeKey(BppEuiccOtpk named) {
    Optional<OneTimeKeyPair> pair =
        chip.slotNamed(named).filter(OneTimeKeySlot::isUnused).map(OneTimeKeySlot::keyPair);
    pair.ifPresent(handedOut::add);
    return pair;
  }

  @Override
  public boolean hasUnusedOneTimeKeys() {
    return chip.unusedKeyCount() > 0;
  }

  @Override
  public boolean consume(EcPublicKey oneTimePublicKey) {
    if (!chip.consume(oneTimePublicKey)) {
      return false;
    }
    chips.save(chip);
    return true;
  }

  @Override
  public boolean iccidInstalled(Iccid iccid) {
    return chip.hasProfile(iccid);
  }

  @Override
  public boolean hasRoomFor(int profileBytes) {
    return chip.profileMemoryUsed() + profileBytes <= profileMemoryBytes;
  }

  /**
   * Wipes every pair handed to the opener that no longer belongs to an unused slot (the opener
   * closes the one it consumed; this is the safety net).
   */
  public void wipeSpentPairs() {
    List<OneTimeKeyPair> stillOwned =
        chip.unusedKeys().stream().map(OneTimeKeySlot::keyPair).toList();
    for (OneTimeKeyPair p : handedOut) {
      if (stillOwned.stream().noneMatch(o -> o == p)) {
        p.close();
      }
    }
  }
}
