package org.ifpp.broker;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.ifpp.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * The broker is untrusted (IFPP.md sections 2 and 3, GENS09/GENS10): it must not be able to hold a
 * private key, a session key or a plain profile, so it must not even depend on the classes that
 * handle them.
 */
class ArchitectureTest {

  private static final JavaClasses BROKER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.ifpp.broker");

  private static final List<String> FORBIDDEN_PACKAGES =
      List.of(
          "org.ifpp.crypto.bsp", "org.ifpp.crypto.secret", "sun.security.pkcs11", "javax.crypto");

  private static final List<String> FORBIDDEN_CLASSES =
      List.of(
          "org.ifpp.crypto.bpp.BoundProfilePackageOpener",
          "org.ifpp.crypto.bpp.BoundProfilePackageBuilder",
          "org.ifpp.crypto.ec.OneTimeKeyPair",
          "java.security.PrivateKey",
          "java.security.KeyPair",
          "java.security.KeyStore");

  static boolean forbidden(JavaClass c) {
    String name = c.getName();
    for (String p : FORBIDDEN_PACKAGES) {
      if (name.startsWith(p + ".")) {
        return true;
      }
    }
    for (String f : FORBIDDEN_CLASSES) {
      if (name.equals(f) || name.startsWith(f + "$")) {
        return true;
      }
    }
    return false;
  }

  @Test
  void broker_neverDependsOnKeyHsmOrSessionKeyClasses() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("org.ifpp.broker..")
            .should()
            .dependOnClassesThat(
                describe(
                    "private-key, HSM, session-key or decryption classes",
                    ArchitectureTest::forbidden));
    rule.check(BROKER);
  }

  @Test
  void topLevelPackages_haveNoCycles() {
    ArchitectureRules.NO_CYCLES_BETWEEN_FEATURES.check(BROKER);
  }

  @Test
  void singlePackages_haveNoCycles() {
    ArchitectureRules.NO_CYCLES_BETWEEN_PACKAGES.check(BROKER);
  }

  @Test
  void internalPackages_areUsedOnlyFromTheirParent() {
    ArchitectureRules.INTERNAL_USED_ONLY_FROM_ITS_PARENT.check(BROKER);
  }

  @Test
  void forbiddenList_matchesWhatItMustMatch() {
    // Guards the predicate itself, so the rule above cannot pass by matching nothing.
    JavaClasses probes =
        new ClassFileImporter()
            .importClasses(javax.crypto.Cipher.class, java.security.PrivateKey.class);
    for (JavaClass c : probes) {
      org.assertj.core.api.Assertions.assertThat(forbidden(c)).as(c.getName()).isTrue();
    }
  }

  @Test
  void controllers_neverTouchEntities() {
    noClasses()
        .that()
        .haveSimpleNameEndingWith("Controller")
        .should()
        .dependOnClassesThat()
        .areAnnotatedWith(jakarta.persistence.Entity.class)
        .check(BROKER);
  }

  private static final List<Class<?>> SQL_CLIENTS =
      List.of(
          org.springframework.jdbc.core.simple.JdbcClient.class,
          org.springframework.jdbc.core.JdbcTemplate.class,
          org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate.class);

  static boolean sqlClient(JavaClass c) {
    return SQL_CLIENTS.stream().anyMatch(c::isEquivalentTo);
  }

  /**
   * SQL lives in repositories: only {@code *Repository} classes (and the array helper of {@code
   * ..persistence..}) touch the JDBC clients.
   */
  @Test
  void onlyRepositories_useTheJdbcClients() {
    noClasses()
        .that()
        .haveSimpleNameNotEndingWith("Repository")
        .and()
        .resideOutsideOfPackages("..persistence..")
        .should()
        .dependOnClassesThat(
            describe(
                "JdbcClient, JdbcTemplate or NamedParameterJdbcTemplate",
                ArchitectureTest::sqlClient))
        .check(BROKER);
  }

  @Test
  void sqlClientList_matchesWhatItMustMatch() {
    JavaClasses probes =
        new ClassFileImporter()
            .importClasses(
                org.springframework.jdbc.core.JdbcTemplate.class,
                org.springframework.jdbc.core.simple.JdbcClient.class);
    for (JavaClass c : probes) {
      org.assertj.core.api.Assertions.assertThat(sqlClient(c)).as(c.getName()).isTrue();
    }
  }
}
