package org.ifpp.web;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.ifpp.testsupport.ArchitectureRules;

/**
 * The boundaries of the shared web plumbing (STYLE.md): no package cycle, internal packages kept
 * inside.
 */
@AnalyzeClasses(packages = "org.ifpp.web", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule noCyclesBetweenFeatures =
      ArchitectureRules.noCyclesBetweenFeatures("org.ifpp.web");

  @ArchTest
  static final ArchRule noCyclesBetweenPackages =
      ArchitectureRules.noCyclesBetweenPackages("org.ifpp.web");

  @ArchTest
  static final ArchRule internalUsedOnlyFromItsParent =
      ArchitectureRules.internalUsedOnlyFromItsParent();
}
