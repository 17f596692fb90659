package org.ifpp.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The boundary rules of every module (STYLE.md), for the module's root package {@code
 * org.ifpp.<module>}: no cycle between its feature packages nor between single packages, and an
 * {@code internal} package used only from inside the package that holds it. A module's
 * ArchitectureTest takes them all with {@code @ArchTest static final ArchTests boundaries =
 * ArchTests.in(ArchitectureRules.class)}, or checks one against classes it imported.
 */
public final class ArchitectureRules {

  private ArchitectureRules() {}

  /** No cycle between the features (each top-level package of the module, with its subtree). */
  @ArchTest
  public static final ArchRule NO_CYCLES_BETWEEN_FEATURES =
      slices().matching("org.ifpp.*.(*)..").should().beFreeOfCycles().allowEmptyShould(true);

  /** No cycle between single packages (a package and its {@code internal} included). */
  @ArchTest
  public static final ArchRule NO_CYCLES_BETWEEN_PACKAGES =
      slices().matching("org.ifpp.*.(**)").should().beFreeOfCycles().allowEmptyShould(true);

  /** An {@code internal} package serves the package that holds it (and its subpackages) only. */
  @ArchTest
  public static final ArchRule INTERNAL_USED_ONLY_FROM_ITS_PARENT =
      classes()
          .that()
          .resideInAPackage("..internal..")
          .should(beUsedOnlyFromTheirParent())
          .allowEmptyShould(true);

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
