package org.ifpp.keymaker;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The boundaries that matter in the Key Maker (STYLE.md). */
class ArchitectureTest {

  static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.ifpp.keymaker");

  @Test
  void controllers_neverTouchEntitiesOrRepositories() {
    noClasses()
        .that()
        .haveSimpleNameEndingWith("Controller")
        .should()
        .dependOnClassesThat(
            // our entities and repositories (Spring's ResponseEntity is not one)
            resideInAPackage("org.ifpp.keymaker..")
                .and(simpleNameEndingWith("Entity").or(simpleNameEndingWith("Repository"))))
        .check(CLASSES);
  }

  @Test
  void topLevelPackages_haveNoCycles() {
    slices().matching("org.ifpp.keymaker.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void onlyTheHsmPackage_usesPkcs11Internals() {
    noClasses()
        .that()
        .resideOutsideOfPackages("org.ifpp.keymaker.hsm..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("sun.security..", "javax.crypto..")
        .check(CLASSES);
  }
}
