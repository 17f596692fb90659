package org.ifpp.line;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ifpp.crypto.ids.Eid;

/**
 * The chips of a command's {@code --eids-file}: one EID per line, surrounding whitespace and blank
 * lines ignored. Read once, before any chip is touched: a line that is not an EID (32 digits with
 * valid check digits) stops the command with its line number instead of costing a claim.
 */
final class EidsFile {

  private EidsFile() {}

  /**
   * @throws IllegalArgumentException naming the first line that is not an EID
   */
  static List<Eid> read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    List<Eid> out = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i).strip();
      if (text.isEmpty()) {
        continue;
      }
      try {
        out.add(Eid.of(text));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            file.getFileName() + " line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return out;
  }
}
