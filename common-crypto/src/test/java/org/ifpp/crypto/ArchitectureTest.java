package org.ifpp.crypto;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "org.ifpp.crypto", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

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
}
