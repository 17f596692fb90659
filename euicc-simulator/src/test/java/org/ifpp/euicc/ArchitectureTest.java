package org.ifpp.euicc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Boundaries that matter for the simulator: no private key can leave through the web layer, and the
 * domain does not depend on Spring or on the web layer.
 */
@AnalyzeClasses(packages = "org.ifpp.euicc", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule webNeverTouchesKeyMaterial =
      noClasses()
          .that()
          .resideInAPackage("..euicc.web..")
          .should()
          .dependOnClassesThat()
          .haveFullyQualifiedName("org.ifpp.crypto.ec.OneTimeKeyPair")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("org.ifpp.crypto.secret.SecretBytes")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("org.ifpp.crypto.secret.SecretAccess")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("org.ifpp.euicc.chip.OneTimeKeySlot")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("org.ifpp.euicc.chip.ChipIdentity")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("org.ifpp.euicc.chip.Chip")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("org.ifpp.crypto.signing.Signer")
          .because("a private key or secret must never reach an HTTP response (GENS10)");

  @ArchTest
  static final ArchRule domainIsFreeOfSpringAndWeb =
      noClasses()
          .that()
          .resideInAnyPackage(
              "..euicc.chip..",
              "..euicc.store..",
              "..euicc.loading..",
              "..euicc.manufacturing..",
              "..euicc.lifecycle..",
              "..euiccdata..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.springframework..", "..euicc.web..", "jakarta.servlet..");
}
