package org.ifpp.euicc;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ifpp.crypto.pki.BindingCertificateValidator;
import org.ifpp.crypto.pki.TrustAnchors;
import org.ifpp.euicc.card.CardServices;
import org.ifpp.euicc.chip.ChipSigners;
import org.ifpp.euicc.config.SimulatorProperties;
import org.ifpp.euicc.credentials.CertificateFiles;
import org.ifpp.euicc.euiccdata.EuiccDataExportService;
import org.ifpp.euicc.finalisation.FinalisationService;
import org.ifpp.euicc.lifecycle.ChipLifecycleService;
import org.ifpp.euicc.loading.LoadService;
import org.ifpp.euicc.loading.LoadSessionRegistry;
import org.ifpp.euicc.manufacturing.DeviceMakerTrust;
import org.ifpp.euicc.manufacturing.EidAllocator;
import org.ifpp.euicc.manufacturing.EumAuthority;
import org.ifpp.euicc.manufacturing.EumBootstrap;
import org.ifpp.euicc.manufacturing.ManufacturingService;
import org.ifpp.euicc.notifications.NotificationService;
import org.ifpp.euicc.profiles.ProfileManagementService;
import org.ifpp.euicc.readers.ReaderService;
import org.ifpp.euicc.store.ChipRepository;
import org.ifpp.euicc.store.ChipStore;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the plain (Spring-free) domain classes of the simulator: the composition root, above every
 * feature package (none of them depends on it).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SimulatorProperties.class)
class SimulatorConfiguration {

  @Bean
  SecureRandom secureRandom() {
    return new SecureRandom();
  }

  @Bean
  ChipRepository chipRepository(SimulatorProperties properties) {
    return new ChipRepository(new ChipStore(properties.stateDir(), properties.fsync()));
  }

  @Bean
  EumAuthority eumAuthority(SimulatorProperties properties, SecureRandom random) {
    return EumBootstrap.loadOrCreate(
        properties.stateDir().resolve("eum"), properties.eum(), properties.fsync(), random);
  }

  @Bean
  ManufacturingService manufacturingService(
      ChipRepository chips, EumAuthority eum, SimulatorProperties properties, SecureRandom random) {
    EidAllocator allocator =
        new EidAllocator(
            eum.eidPrefix(),
            properties.stateDir().resolve("eum").resolve("next-serial"),
            properties.fsync());
    return new ManufacturingService(
        chips,
        eum,
        allocator,
        random,
        properties.deviceMakerCertificate() == null
            ? null
            : DeviceMakerTrust.keyOf(
                CertificateFiles.read(properties.deviceMakerCertificate()), Instant.now()));
  }

  @Bean
  ChipLifecycleService chipLifecycleService(ChipRepository chips) {
    return new ChipLifecycleService(chips);
  }

  /**
   * The CIs the chips trust for the Key Maker's binding certificate (section 6 step 2): the
   * configured ones plus the EUM's own CI.
   */
  @Bean
  BindingCertificateValidator bindingCertificateValidator(
      SimulatorProperties properties, EumAuthority eum) {
    List<X509Certificate> cis = new ArrayList<>(eum.ciCertificates());
    for (Path p : properties.trustedCiCertificates()) {
      cis.add(CertificateFiles.read(p));
    }
    // No clock: the chip's notion of time is its manufacturing date (BindingCertificateCache).
    return BindingCertificateValidator.withoutClock(TrustAnchors.of(cis));
  }

  @Bean
  ChipSigners chipSigners(SecureRandom random) {
    return new ChipSigners(random);
  }

  @Bean
  EuiccDataExportService euiccDataExportService(ChipRepository chips, ChipSigners signers) {
    return new EuiccDataExportService(chips, signers);
  }

  @Bean
  LoadService loadService(
      ChipRepository chips,
      BindingCertificateValidator certificates,
      SimulatorProperties properties,
      ChipSigners signers) {
    return new LoadService(
        chips,
        certificates,
        signers,
        properties.notificationAddress(),
        properties.profileMemoryBytes(),
        Clock.systemUTC());
  }

  @Bean
  FinalisationService finalisationService(ChipRepository chips, ChipSigners signers) {
    return new FinalisationService(chips, signers);
  }

  @Bean
  NotificationService notificationService(ChipRepository chips) {
    return new NotificationService(chips);
  }

  @Bean
  ProfileManagementService profileManagementService(ChipRepository chips) {
    return new ProfileManagementService(chips);
  }

  /** What the chips need to answer ES10 over APDUs (docs/euicc-card.md). */
  @Bean
  CardServices cardServices(
      ChipRepository chips,
      LoadService loader,
      NotificationService notifications,
      ProfileManagementService profiles,
      FinalisationService finalisation,
      EumAuthority eum,
      SimulatorProperties properties) {
    List<X509Certificate> cis = new ArrayList<>(eum.ciCertificates());
    for (Path p : properties.trustedCiCertificates()) {
      cis.add(CertificateFiles.read(p));
    }
    return new CardServices(
        chips,
        loader,
        notifications,
        profiles,
        finalisation,
        CardServices.subjectKeyIds(cis),
        CardServices.GSMA_ROOT_DS,
        properties.maxPackageBytes());
  }

  @Bean(destroyMethod = "removeAll")
  ReaderService readerService(CardServices services) {
    return new ReaderService(services, "127.0.0.1");
  }

  @Bean
  LoadSessionRegistry loadSessionRegistry(LoadService loader, SimulatorProperties properties) {
    return new LoadSessionRegistry(
        loader,
        properties.maxPackageBytes(),
        properties.loadSessionTimeout(),
        properties.maxLoadSessions(),
        Clock.systemUTC());
  }
}
