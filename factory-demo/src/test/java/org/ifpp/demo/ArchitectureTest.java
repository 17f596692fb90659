package org.ifpp.demo;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import org.ifpp.testsupport.ArchitectureRules;

/** The boundaries of the demo (STYLE.md): no package cycle, internal packages kept inside. */
@AnalyzeClasses(packages = "org.ifpp.demo", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest static final ArchTests boundaries = ArchTests.in(ArchitectureRules.class);
}
