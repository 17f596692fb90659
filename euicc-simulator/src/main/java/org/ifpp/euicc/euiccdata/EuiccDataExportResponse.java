package org.ifpp.euicc.euiccdata;

import java.util.List;

/**
 * eUICC data in the JSON form the Key Maker imports (docs/euicc-data-format.md section 4): can be
 * posted to it unchanged.
 *
 * @param format always {@code ifpp-euicc-data/1}
 * @param euiccs one entry per chip, in request order
 */
public record EuiccDataExportResponse(String format, List<Entry> euiccs) {

  /**
   * @param eid the chip
   * @param data the E1 DER record, base64
   */
  public record Entry(String eid, String data) {}
}
