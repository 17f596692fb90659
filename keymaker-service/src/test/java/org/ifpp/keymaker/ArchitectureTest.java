package org.ifpp.keymaker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

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
        .dependOnClassesThat()
        .haveSimpleNameEndingWith("Entity")
        .orShould()
        .dependOnClassesThat()
        .haveSimpleNameEndingWith("Repository")
        .check(CLASSES);
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
