package org.ifpp.euicc.euiccdata;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ifpp.crypto.euiccdata.EuiccData;
import org.ifpp.crypto.euiccdata.SignedOneTimePublicKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.signing.Signer;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.euicc.chip.Chip;
import org.ifpp.euicc.chip.ChipCapabilities;
import org.ifpp.euicc.chip.ChipSigners;
import org.ifpp.euicc.chip.ChipStateException;
import org.ifpp.euicc.chip.OneTimeKeySlot;
import org.ifpp.euicc.store.ChipRepository;

/**
 * Exports the eUICC data the Key Maker imports (IFPP.md section 4 step 1, DPFF10; format of
 * common-crypto's {@link EuiccData}, docs/euicc-data-format.md): EID, CERT.EUICC, CERT.EUM, each
 * still-unused one-time public key signed by the chip under its slot index, and the chip's
 * capabilities (EUICCInfo2, {@link ChipCapabilities}) signed by the chip. Public data only: no
 * private key is ever read for export except to sign, inside the chip's signer.
 */
public final class EuiccDataExportService {

  private final ChipRepository chips;
  private final ChipSigners signers;

  public EuiccDataExportService(ChipRepository chips, ChipSigners signers) {
    this.chips = Objects.requireNonNull(chips, "chips");
    this.signers = Objects.requireNonNull(signers, "signers");
  }

  /**
   * @throws org.ifpp.euicc.chip.ChipNotFoundException if an EID is unknown (nothing exported)
   * @throws ChipStateException {@code noOneTimeKeys} if a chip has no unused key left, {@code
   *     noEumCertificate} if a chip was imported without its EUM certificate
   */
  public List<EuiccData> export(List<Eid> eids) {
    List<Chip> selected = eids.stream().map(chips::get).toList();
    List<EuiccData> out = new ArrayList<>(selected.size());
    for (Chip chip : selected) {
      out.add(export(chip));
    }
    return out;
  }

  private EuiccData export(Chip chip) {
    Signer signer = signers.of(chip.eid(), chip.identity());
    List<OneTimeKeySlot> unused = chip.locked(chip::unusedKeys);
    if (unused.isEmpty()) {
      throw new ChipStateException(
          SimulatorError.NO_ONE_TIME_KEYS, "chip " + chip.eid() + " has no unused key");
    }
    if (chip.identity().chainDer().isEmpty()) {
      throw new ChipStateException(
          SimulatorError.NO_EUM_CERTIFICATE,
          "chip " + chip.eid() + " has no EUM certificate to export");
    }
    List<SignedOneTimePublicKey> keys =
        unused.stream()
            .map(k -> SignedOneTimePublicKey.sign(chip.eid(), k.index(), k.publicKey(), signer))
            .toList();
    return EuiccData.of(
            chip.eid(), chip.identity().certificateDer(), chip.identity().chainDer().get(0), keys)
        .withEuiccInfo2(ChipCapabilities.exported(), signer);
  }
}
