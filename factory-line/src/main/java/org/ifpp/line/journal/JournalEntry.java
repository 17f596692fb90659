package org.ifpp.line.journal;

import java.util.Arrays;
import java.util.HexFormat;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;

/**
 * One chip's signed result as a line journals it: only public data, the same the line sends to the
 * broker (the package's transactionId, the chip's EID, the outcome the chip gave and its signed
 * Profile Installation Result, BF37 DER). Never a key, a profile or a credential.
 *
 * @param transactionId the binding's transactionId, the package's id at the broker (written as hex)
 * @param eid the chip
 * @param installed the outcome the chip signed
 * @param pir the chip's signed result (not empty)
 */
public record JournalEntry(TransactionId transactionId, Eid eid, boolean installed, byte[] pir) {

  public JournalEntry {
    if (transactionId == null) {
      throw new IllegalArgumentException("a journalled result carries its transactionId");
    }
    if (eid == null) {
      throw new IllegalArgumentException("a journalled result carries the chip's EID");
    }
    if (pir == null || pir.length == 0) {
      throw new IllegalArgumentException("a journalled result carries the chip's signed result");
    }
    pir = pir.clone();
  }

  @Override
  public byte[] pir() {
    return pir.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JournalEntry e
        && e.transactionId.equals(transactionId)
        && e.eid.equals(eid)
        && e.installed == installed
        && Arrays.equals(e.pir, pir);
  }

  @Override
  public int hashCode() {
    return transactionId.hashCode() * 31 + Arrays.hashCode(pir);
  }

  @Override
  public String toString() {
    return "JournalEntry["
        + transactionId
        + ", "
        + eid
        + ", "
        + (installed ? "installed" : "failed")
        + ", pir "
        + HexFormat.of().formatHex(pir, 0, Math.min(4, pir.length))
        + "... ("
        + pir.length
        + " bytes)]";
  }
}
