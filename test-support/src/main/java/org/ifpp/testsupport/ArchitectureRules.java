package org.ifpp.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The boundary rules every module's ArchitectureTest applies (STYLE.md): no cycle between its
 * feature packages nor between single packages, and an {@code internal} package used only from
 * inside the package that holds it.
 */
public final class ArchitectureRules {

  private ArchitectureRules() {}

  /** No cycle between the features under {@code root} (each top-level package with its subtree). */
  public static ArchRule noCyclesBetweenFeatures(String root) {
    return slices().matching(root + ".(*)..").should().beFreeOfCycles();
  }

  /** No cycle between single packages under {@code root} (a package and its internal included). */
  public static ArchRule noCyclesBetweenPackages(String root) {
    return slices().matching(root + ".(**)").should().beFreeOfCycles();
  }

  /** An {@code internal} package serves the package that holds it (and its subpackages) only. */
  public static ArchRule internalUsedOnlyFromItsParent() {
    return classes()
        .that()
        .resideInAPackage("..internal..")
        .should(beUsedOnlyFromTheirParent())
        .allowEmptyShould(true);
  }

  private static ArchCondition<JavaClass> beUsedOnlyFromTheirParent() {
    return new ArchCondition<>("be used only from inside the package that holds the internal one") {
      @Override
      public void check(JavaClass internal, ConditionEvents events) {
        String pkg = internal.getPackageName();
        String parent = pkg.substring(0, pkg.indexOf(".internal"));
        for (Dependency d : internal.getDirectDependenciesToSelf()) {
          String from = d.getOriginClass().getPackageName();
          if (!from.equals(parent) && !from.startsWith(parent + ".")) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription()));
          }
        }
      }
    };
  }
}
