package org.ifpp.euicc.card;

import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.web.DomainException;

/**
 * The device maker's finalisation command as an ES10-style function (docs/finalisation.md section
 * 5): the signed {@code BF7A} command in STORE DATA, handed to the simulator's one finalisation
 * path ({@link org.ifpp.euicc.finalisation.FinalisationService}, the checks of
 * docs/finalisation.md), answered with the chip's signed receipt {@code BF7B} and {@code 9000}. A
 * refusal changes nothing and is a status word: {@code 6985} replayed or no device-maker key,
 * {@code 6982} unsigned, signature invalid or another chip's command, {@code 6A80} malformed.
 */
final class Es10Finalisation {

  static final int COMMAND_TAG = 0xBF7A;

  private final Eid eid;
  private final CardServices services;

  Es10Finalisation(Eid eid, CardServices services) {
    this.eid = eid;
    this.services = services;
  }

  Es10Response finalise(Tlv command) {
    try {
      return Es10Response.ok(services.finalisation().finalise(eid, command.encoded()).encoded());
    } catch (DomainException e) {
      return Es10Response.error(statusWord(e));
    }
  }

  static int statusWord(DomainException e) {
    if (!(e.error() instanceof SimulatorError code)) {
      throw e;
    }
    return switch (code) {
      case FINALISATION_REPLAYED, NO_DEVICE_MAKER_KEY -> StatusWord.CONDITIONS_NOT_SATISFIED;
      case FINALISATION_UNSIGNED, FINALISATION_SIGNATURE_INVALID, FINALISATION_WRONG_CHIP ->
          StatusWord.SECURITY_STATUS_NOT_SATISFIED;
      case FINALISATION_MALFORMED -> StatusWord.WRONG_DATA;
      default -> throw e;
    };
  }
}
