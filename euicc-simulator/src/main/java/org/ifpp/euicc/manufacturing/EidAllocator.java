package org.ifpp.euicc.manufacturing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.euicc.chip.ChipStateException;
import org.ifpp.euicc.store.AtomicFiles;

/**
 * Numbers chips inside the EUM's EID range: prefix, then a serial number, then the two check
 * digits. The next serial is persisted (atomically) before EIDs are handed out, so a restart never
 * reuses an EID.
 */
public final class EidAllocator {

  private final String prefix;
  private final Path counterFile;
  private final boolean fsync;
  private long next;

  public EidAllocator(String prefix, Path counterFile, boolean fsync) {
    this.prefix = prefix;
    this.counterFile = counterFile;
    this.fsync = fsync;
    try {
      this.next =
          Files.exists(counterFile)
              ? Long.parseLong(Files.readString(counterFile, StandardCharsets.US_ASCII).strip())
              : 1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private long capacity() {
    return (long) Math.pow(10, Math.min(18, 30 - prefix.length()));
  }

  /**
   * @throws ChipStateException {@code eidRangeExhausted} if the range has fewer than {@code count}
   *     free EIDs
   */
  public synchronized List<Eid> allocate(int count) {
    if (next + count > capacity()) {
      throw new ChipStateException(
          SimulatorError.EID_RANGE_EXHAUSTED, "the EUM's EID range is exhausted");
    }
    long first = next;
    next += count;
    byte[] data = Long.toString(next).getBytes(StandardCharsets.US_ASCII);
    try {
      Files.createDirectories(counterFile.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    AtomicFiles.replace(counterFile, data, data.length, fsync);
    int serialDigits = 30 - prefix.length();
    List<Eid> eids = new ArrayList<>(count);
    for (long s = first; s < first + count; s++) {
      String serial = String.format("%0" + serialDigits + "d", s);
      eids.add(Eid.withCheckDigits(prefix + serial));
    }
    return eids;
  }
}
