package org.ifpp.keymaker;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.ifpp.testsupport.ArchitectureRules;
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
    ArchitectureRules.NO_CYCLES_BETWEEN_FEATURES.check(CLASSES);
  }

  @Test
  void singlePackages_haveNoCycles() {
    ArchitectureRules.NO_CYCLES_BETWEEN_PACKAGES.check(CLASSES);
  }

  @Test
  void internalPackages_areUsedOnlyFromTheirParent() {
    ArchitectureRules.INTERNAL_USED_ONLY_FROM_ITS_PARENT.check(CLASSES);
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

  /**
   * SQL lives in repositories: only a {@code *Repository} touches JdbcClient, JdbcTemplate or a
   * DataSource. Exempt: {@code health} (it probes the DataSource, no SQL of its own).
   */
  static ArchRule sqlOnlyInRepositories(String... exemptPackages) {
    return noClasses()
        .that()
        .haveSimpleNameNotEndingWith("Repository")
        .and()
        .resideOutsideOfPackages(exemptPackages)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework.jdbc..", "javax.sql..")
        .because("SQL belongs to one repository per aggregate");
  }

  static final String[] EXEMPT = {"org.ifpp.keymaker.health.."};

  @Test
  void sql_onlyInRepositories() {
    sqlOnlyInRepositories(EXEMPT).check(CLASSES);
  }

  @Test
  void sqlRule_matchesWhatItMustMatch() {
    // Without the exemptions the rule must catch the classes still holding SQL: it cannot pass by
    // matching nothing.
    assertThat(sqlOnlyInRepositories().evaluate(CLASSES).hasViolation()).isTrue();
    assertThat(
            sqlOnlyInRepositories(EXEMPT)
                .evaluate(
                    new ClassFileImporter()
                        .importClasses(ArchitectureTest.class, ViolatesTheRule.class))
                .hasViolation())
        .isTrue();
  }

  /** Touches JDBC without being a repository. */
  static final class ViolatesTheRule {
    org.springframework.jdbc.core.simple.JdbcClient jdbc;
  }
}
