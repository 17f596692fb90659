package org.ifpp.broker.structure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.ifpp.broker.support.TestPackages;
import org.ifpp.broker.web.BrokerException;
import org.ifpp.crypto.ids.TransactionId;
import org.junit.jupiter.api.Test;

class PackageStructureTest {

  private final Random random = new Random(7);

  private static String code(Throwable t) {
    return ((BrokerException) t).code();
  }

  @Test
  void wellFormedPackage_withTheDeclaredTransactionId_isAccepted() {
    TransactionId tx = TestPackages.transactionId(random);
    PackageStructure.checkBoundProfilePackage(TestPackages.boundPackage(tx, 3000, random), tx, "p");
  }

  @Test
  void everyTruncation_isRefusedAsMalformed() {
    TransactionId tx = TestPackages.transactionId(random);
    byte[] bpp = TestPackages.boundPackage(tx, 300, random);
    for (int len = 0; len < bpp.length; len++) {
      byte[] cut = Arrays.copyOf(bpp, len);
      assertThatThrownBy(() -> PackageStructure.checkBoundProfilePackage(cut, tx, "p"))
          .isInstanceOf(BrokerException.class)
          .satisfies(t -> assertThat(code(t)).isEqualTo("malformed-package"));
    }
  }

  @Test
  void trailingBytes_otherOuterTag_orMissingBf23_areRefused() {
    TransactionId tx = TestPackages.transactionId(random);
    byte[] bpp = TestPackages.boundPackage(tx, 30, random);
    byte[] trailing = Arrays.copyOf(bpp, bpp.length + 1);
    assertThatThrownBy(() -> PackageStructure.checkBoundProfilePackage(trailing, tx, "p"))
        .satisfies(t -> assertThat(code(t)).isEqualTo("malformed-package"));
    byte[] otherTag = bpp.clone();
    otherTag[1] = 0x37;
    assertThatThrownBy(() -> PackageStructure.checkBoundProfilePackage(otherTag, tx, "p"))
        .satisfies(t -> assertThat(code(t)).isEqualTo("malformed-package"));
    byte[] noBf23 = TestPackages.tlv("BF36", TestPackages.tlv("A0", new byte[0]));
    assertThatThrownBy(() -> PackageStructure.checkBoundProfilePackage(noBf23, tx, "p"))
        .satisfies(t -> assertThat(code(t)).isEqualTo("malformed-package"));
    byte[] indefinite = {(byte) 0xBF, 0x36, (byte) 0x80, 0x00, 0x00};
    assertThatThrownBy(() -> PackageStructure.checkBoundProfilePackage(indefinite, tx, "p"))
        .satisfies(t -> assertThat(code(t)).isEqualTo("malformed-package"));
  }

  @Test
  void aPlainProfile_isNotABoundPackage() throws Exception {
    byte[] upp =
        Files.readAllBytes(
            Path.of(System.getProperty("ifpp.test-data.dir", "../test-data"))
                .resolve("profiles/TS48V1-A-UNIQUE.der"));
    TransactionId tx = TestPackages.transactionId(random);
    assertThatThrownBy(() -> PackageStructure.checkBoundProfilePackage(upp, tx, "p"))
        .satisfies(t -> assertThat(code(t)).isEqualTo("malformed-package"));
  }

  @Test
  void signedResult_isAccepted_andTellsSuccessOrFailure() {
    TransactionId tx = TestPackages.transactionId(random);
    assertThat(
            PackageStructure.checkInstallationResult(
                TestPackages.installationResult(tx, true, random), tx))
        .isTrue();
    assertThat(
            PackageStructure.checkInstallationResult(
                TestPackages.installationResult(tx, false, random), tx))
        .isFalse();
  }

  @Test
  void resultForAnotherTransaction_isRefused() {
    TransactionId tx = TestPackages.transactionId(random);
    TransactionId other = TestPackages.transactionId(random);
    assertThatThrownBy(
            () ->
                PackageStructure.checkInstallationResult(
                    TestPackages.installationResult(other, random), tx))
        .satisfies(t -> assertThat(code(t)).isEqualTo("pir-transaction-mismatch"));
  }

  @Test
  void unsignedTruncatedOrForeignResults_areMalformed() {
    TransactionId tx = TestPackages.transactionId(random);
    byte[] good = TestPackages.installationResult(tx, random);
    byte[] unsigned = TestPackages.tlv("BF37", TestPackages.tlv("BF27", new byte[0]));
    for (byte[] bad :
        new byte[][] {
          unsigned, Arrays.copyOf(good, good.length - 1), TestPackages.boundPackage(tx, 5, random)
        }) {
      assertThatThrownBy(() -> PackageStructure.checkInstallationResult(bad, tx))
          .satisfies(t -> assertThat(code(t)).isEqualTo("malformed-pir"));
    }
  }
}
