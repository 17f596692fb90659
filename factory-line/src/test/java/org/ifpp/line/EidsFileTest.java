package org.ifpp.line;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ifpp.crypto.ids.Eid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EidsFileTest {

  private static final String A = "89049032123451234512345678901235";
  private static final String B = Eid.withCheckDigits("890490321234512345000000000007").value();

  @TempDir Path dir;

  @Test
  void eachNonBlankLine_isOneEid_inOrder() throws Exception {
    Path file = Files.writeString(dir.resolve("eids.txt"), "  " + A + " \n\n" + B + "\n");

    assertThat(EidsFile.read(file)).containsExactly(new Eid(A), new Eid(B));
  }

  @Test
  void aLineThatIsNotAnEid_stopsTheCommand_withItsLineNumber() throws Exception {
    String wrongCheckDigits = A.substring(0, 30) + "00";
    Path file = Files.writeString(dir.resolve("eids.txt"), A + "\n\n" + wrongCheckDigits + "\n");

    assertThatThrownBy(() -> EidsFile.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("eids.txt line 3")
        .hasMessageContaining("check digits");
  }
}
