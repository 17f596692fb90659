package org.ifpp.euicc.chip;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.ifpp.crypto.euiccdata.EuiccCategory;
import org.ifpp.crypto.euiccdata.EuiccInfo2;
import org.ifpp.crypto.euiccdata.UiccCapability;

/**
 * What every simulated chip can do, stated once: its ES10b EUICCInfo2 answer reads it, and the
 * EUM's eUICC data carries it signed by the chip (docs/euicc-data-format.md), where an operator's
 * eligibility rules read it (docs/orders.md).
 */
public final class ChipCapabilities {

  /** SGP.22 v2.2.2: the version of the specification the chip implements. */
  public static final byte[] SVN = {2, 2, 2};

  /** The UICC capabilities the chip states. */
  public static final Set<UiccCapability> UICC =
      EnumSet.of(
          UiccCapability.USIM_SUPPORT,
          UiccCapability.ISIM_SUPPORT,
          UiccCapability.AKA_MILENAGE,
          UiccCapability.AKA_TUAK128,
          UiccCapability.JAVACARD);

  public static final EuiccCategory CATEGORY = EuiccCategory.BASIC_EUICC;

  private ChipCapabilities() {}

  /** The bit numbers of {@link #UICC}, for an encoder of named bits. */
  public static int[] uiccBits() {
    return UICC.stream().mapToInt(UiccCapability::bit).toArray();
  }

  /** The EUICCInfo2 the EUM exports with the chip's eUICC data (as at manufacturing). */
  public static EuiccInfo2 exported() {
    return EuiccInfo2.of(SVN.clone(), UICC, Optional.of(CATEGORY));
  }
}
