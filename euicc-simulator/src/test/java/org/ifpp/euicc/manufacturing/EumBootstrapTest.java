package org.ifpp.euicc.manufacturing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.config.SimulatorProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EumBootstrapTest {

  @TempDir Path dir;
  final SecureRandom random = new SecureRandom();

  @Test
  void developmentEum_isGeneratedOnce_andReusedAfterRestart() {
    SimulatorProperties.Eum none = new SimulatorProperties.Eum(null, null, null, "8904903288");
    EumAuthority first = EumBootstrap.loadOrCreate(dir.resolve("eum"), none, false, random);
    EumAuthority again = EumBootstrap.loadOrCreate(dir.resolve("eum"), none, false, random);
    assertThat(again.eumCertificate()).isEqualTo(first.eumCertificate());
    assertThat(again.eidPrefix()).isEqualTo("8904903288");
  }

  @Test
  void configuredEum_isUsed() {
    EumAuthority generated =
        EumBootstrap.loadOrCreate(
            dir.resolve("gen"),
            new SimulatorProperties.Eum(null, null, null, "8904903277"),
            false,
            random);
    SimulatorProperties.Eum configured =
        new SimulatorProperties.Eum(
            dir.resolve("gen/eum.der"),
            dir.resolve("gen/eum-key.pem"),
            dir.resolve("gen/ci.der"),
            "8904903277");
    EumAuthority eum = EumBootstrap.loadOrCreate(dir.resolve("unused"), configured, false, random);
    assertThat(eum.eumCertificate()).isEqualTo(generated.eumCertificate());
    assertThat(eum.ciCertificates()).hasSize(1);
    assertThat(dir.resolve("unused")).doesNotExist();
  }

  @Test
  void eidAllocator_neverReusesAnEid_acrossRestarts() {
    Path counter = dir.resolve("serial");
    var a = new EidAllocator("89049032999", counter, false).allocate(3);
    var b = new EidAllocator("89049032999", counter, false).allocate(2);
    assertThat(b).doesNotContainAnyElementsOf(a);
    assertThat(a.get(0).value()).startsWith("89049032999");
    assertThatThrownBy(
            () -> new EidAllocator("8".repeat(28), dir.resolve("s2"), false).allocate(101))
        .extracting("code")
        .isEqualTo("eid-range-exhausted");
    assertThat(Eid.of(a.get(2).value())).isEqualTo(a.get(2));
  }
}
