package org.ifpp.euicc;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.annotatedWith;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.ifpp.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RestController;

/**
 * Boundaries that matter for the simulator: no private key can leave through the API, the domain
 * does not depend on Spring or on the web layer, the feature packages form no cycle, and an {@code
 * internal} package is used only by its parent.
 */
@AnalyzeClasses(packages = "org.ifpp.euicc", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** The classes that face HTTP: the web plumbing, the controllers and their request records. */
  static final DescribedPredicate<JavaClass> WEB_FACING =
      resideInAPackage("..euicc.web..")
          .or(annotatedWith(RestController.class))
          .or(nameMatching(".*(Request|Response)(\\$.*)?"))
          .as("web-facing (web plumbing, controllers, request and response records)");

  @ArchTest
  static final ArchRule webNeverTouchesKeyMaterial =
      noClasses()
          .that(WEB_FACING)
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
              "..euicc.euiccdata..",
              "..euicc.notifications..",
              "..euicc.credentials..",
              "..euicc.profiles..",
              "..euicc.card..")
          .and(not(WEB_FACING))
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.springframework..", "..euicc.web..", "jakarta.servlet..");

  /**
   * No cycle between the feature packages nor single packages (errors map to problem+json through
   * service-web); an {@code internal} package used only from inside its parent.
   */
  @ArchTest static final ArchTests boundaries = ArchTests.in(ArchitectureRules.class);

  /**
   * The internal rule finds what it must: a test class of {@code chip} uses a manufacturing key.
   */
  @Test
  void internalRule_reportsAUseFromOutsideTheParent() {
    JavaClasses withTests = new ClassFileImporter().importPackages("org.ifpp.euicc");
    EvaluationResult result =
        ArchitectureRules.INTERNAL_USED_ONLY_FROM_ITS_PARENT.evaluate(withTests);
    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().getDetails())
        .anySatisfy(d -> assertThat(d).contains("ChipTest").contains("internal.EcKeys"));
  }
}
