package org.ifpp.euicc.finalisation;

import java.util.Objects;
import org.ifpp.crypto.finalisation.FinalisationReceipt;
import org.ifpp.crypto.finalisation.MalformedFinalisationException;
import org.ifpp.crypto.finalisation.SignedFinalisationCommand;
import org.ifpp.crypto.finalisation.SignedFinalisationReceipt;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.euicc.chip.Chip;
import org.ifpp.euicc.chip.ChipSigners;
import org.ifpp.euicc.chip.ChipStateException;
import org.ifpp.euicc.store.ChipRepository;
import org.ifpp.web.DomainException;

/**
 * The end of production on the device maker's signed command (GENS13, DMF03/EUICCF03, EUICCF04):
 * the chip checks the command ({@link Chip#finalise}), wipes its unused one-time keys, locks IFPP
 * loading, persists, and answers with a receipt signed by its eUICC key. A refused command changes
 * nothing and is answered with its code (docs/finalisation.md).
 */
public final class FinalisationService {

  private final ChipRepository chips;
  private final ChipSigners signers;

  public FinalisationService(ChipRepository chips, ChipSigners signers) {
    this.chips = Objects.requireNonNull(chips, "chips");
    this.signers = Objects.requireNonNull(signers, "signers");
  }

  /**
   * Gives chip {@code eid} the command {@code command} (a BF7A TLV).
   *
   * @return the chip's signed receipt (BF7B)
   * @throws DomainException {@code finalisation-malformed}, {@code finalisation-unsigned}, or a
   *     {@link ChipStateException} of {@link Chip#finalise}; {@code chip-not-found}
   */
  public SignedFinalisationReceipt finalise(Eid eid, byte[] command) {
    SignedFinalisationCommand signed;
    try {
      signed = SignedFinalisationCommand.parse(command);
    } catch (MalformedFinalisationException e) {
      throw new DomainException(
          e.unsigned()
              ? SimulatorError.FINALISATION_UNSIGNED
              : SimulatorError.FINALISATION_MALFORMED,
          e.getMessage());
    }
    Chip chip = chips.get(eid);
    return chip.locked(
        () -> {
          FinalisationReceipt receipt = chip.finalise(signed);
          chips.save(chip);
          return receipt.sign(signers.of(chip.eid(), chip.identity()));
        });
  }
}
