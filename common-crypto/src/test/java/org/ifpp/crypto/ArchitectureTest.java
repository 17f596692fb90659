package org.ifpp.crypto;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import org.ifpp.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

@AnalyzeClasses(packages = "org.ifpp.crypto", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /**
   * No cycle between the engine's feature packages ({@code bpp}, {@code pki}, ...) nor between
   * single packages (a package and its {@code internal} included); an {@code internal} package
   * serves the package that holds it, and nothing outside that.
   */
  @ArchTest static final ArchTests boundaries = ArchTests.in(ArchitectureRules.class);

  @ArchTest
  static final ArchRule engineNeverDependsOnSpring =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.springframework..", "jakarta.persistence..");

  @ArchTest
  static final ArchRule noPublicRawByteArrayFields =
      fields()
          .that()
          .haveRawType(byte[].class)
          .should()
          .notBePublic()
          .because("secret material is never exposed as a public raw byte[] (use SecretBytes)");

  @ArchTest
  static final ArchRule noMutableStaticByteArrays =
      fields()
          .that()
          .haveRawType(byte[].class)
          .and()
          .areStatic()
          .should()
          .bePrivate()
          .because("a shared byte[] constant can be modified by any caller")
          .allowEmptyShould(true);

  /** The rules above find what they must find (they cannot pass by matching nothing). */
  @Test
  void rules_catchTheViolationsOfTheFixtures() {
    JavaClasses fixtures = new ClassFileImporter().importPackages("org.ifpp.crypto.archfixture");
    assertThat(
            ArchitectureRules.INTERNAL_USED_ONLY_FROM_ITS_PARENT
                .evaluate(fixtures)
                .getFailureReport()
                .getDetails())
        .isNotEmpty()
        .allSatisfy(v -> assertThat(v).contains("Outsider", "Hidden"));
    assertThat(ArchitectureRules.NO_CYCLES_BETWEEN_PACKAGES.evaluate(fixtures).hasViolation())
        .isTrue();
    assertThat(ArchitectureRules.NO_CYCLES_BETWEEN_FEATURES.evaluate(fixtures).hasViolation())
        .isFalse();
  }
}
