package org.ifpp.euicc.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the simulator ({@code ifpp.euicc.*}).
 *
 * @param stateDir directory holding the fleet (chips/), the EUM (eum/), created if missing
 * @param fsync force every state change to stable storage (turn off only for throwaway demos)
 * @param oneTimeKeysPerChip default K for manufacturing
 * @param maxChipsPerRequest upper bound of one manufacturing or export call
 * @param maxPackageBytes largest Bound Profile Package accepted (larger: 413)
 * @param loadSessionTimeout idle time after which a segmented load session is dropped
 * @param maxLoadSessions open segmented sessions at most (more: 429)
 * @param trustedCiCertificates DER or PEM files of the CIs the chips trust for the Key Maker's
 *     binding certificate (section 6 step 2); the EUM's own CI is always trusted as well
 * @param eum a configured EUM instead of the generated development one
 * @param notificationAddress the notificationAddress written into Profile Installation Results
 * @param profileMemoryBytes profile memory of each chip (section 6 step 8, "enough memory")
 * @param deviceMakerCertificate the device maker's certificate (DER or PEM, EC P-256) whose key
 *     chips get at manufacturing when the request names none; empty: none
 */
@ConfigurationProperties("ifpp.euicc")
public record SimulatorProperties(
    @DefaultValue("./euicc-state") Path stateDir,
    @DefaultValue("true") boolean fsync,
    @DefaultValue("4") int oneTimeKeysPerChip,
    @DefaultValue("10000") int maxChipsPerRequest,
    @DefaultValue("1048576") int maxPackageBytes,
    @DefaultValue("5m") Duration loadSessionTimeout,
    @DefaultValue("10000") int maxLoadSessions,
    @DefaultValue List<Path> trustedCiCertificates,
    @DefaultValue Eum eum,
    @DefaultValue("keymaker.ifpp.test") String notificationAddress,
    @DefaultValue("1048576") long profileMemoryBytes,
    Path deviceMakerCertificate) {

  /**
   * A configured EUM. When {@code certificate} is empty, a development CI and EUM are generated at
   * first start under {@code stateDir/eum} and reused afterwards.
   *
   * @param certificate EUM certificate file (DER or PEM)
   * @param privateKey EUM private key file (PEM, SEC1 or PKCS#8)
   * @param ciCertificate the CI certificate the EUM chains to (DER or PEM)
   * @param eidPrefix the EUM's EID range (digits every EID starts with)
   */
  public record Eum(
      Path certificate,
      Path privateKey,
      Path ciCertificate,
      @DefaultValue("89049032999") String eidPrefix) {}
}
