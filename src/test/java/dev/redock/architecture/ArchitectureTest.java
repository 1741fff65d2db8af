package dev.redock.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;

/**
 * The dependency rule of the README's package map, checked on Redock's own classes: the toolkits stay in {@code ui}, the
 * surfaces reach the machinery only through the service layer, and no two packages depend on each other.
 */
class ArchitectureTest {

    /** The surfaces: what users and other programs talk to. */
    static final String[] SURFACES = {"dev.redock.ui..", "dev.redock.cli..", "dev.redock.api.."};
    /** What only the service layer (and the wiring in {@code app}) may reach. */
    static final String[] MACHINERY = {"dev.redock.engine..", "dev.redock.registry..", "dev.redock.git..", "dev.redock.store..",
            "dev.redock.deploy..", "dev.redock.schedule.."};

    private static JavaClasses redock;

    @BeforeAll
    static void importClasses() {
        // Redock's own classes as built (not the tests'), read from where Maven compiles them.
        redock = new ClassFileImporter().importPath(Path.of("target", "classes"));
    }

    @Test
    void onlyTheWindowUsesJavaFxOrAwt() {
        noClasses().that().resideOutsideOfPackage("dev.redock.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "java.awt..", "com.sun.javafx..")
                .because("the core must run without a display: the CLI, the agent and the tests use it headless")
                .check(redock);
    }

    @Test
    void surfacesReachTheMachineryOnlyThroughTheServiceLayer() {
        noClasses().that().resideInAnyPackage(SURFACES)
                .should().dependOnClassesThat().resideInAnyPackage(MACHINERY)
                .because("the window, the CLI and the API go through dev.redock.service, so that each validates and"
                        + " behaves the same")
                .check(redock);
    }

    @Test
    void noCyclesBetweenPackages() {
        slices().matching("dev.redock.(*)..").should().beFreeOfCycles().check(redock);
    }
}
