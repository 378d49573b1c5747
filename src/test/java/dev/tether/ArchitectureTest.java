package dev.tether;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rooms of STYLE.md and who may import whom, checked on the compiled classes. */
class ArchitectureTest {
    static JavaClasses main;

    @BeforeAll
    static void load() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.tether");
    }

    @Test
    void sessionDependsOnConfigOnly() {
        noClasses().that().resideInAPackage("dev.tether.session..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tether.turn..", "dev.tether.web..",
                        "dev.tether.store..", "dev.tether.model..", "dev.tether.cluster..")
                .check(main);
    }

    @Test
    void turnDoesNotKnowHttpOrStorage() {
        noClasses().that().resideInAPackage("dev.tether.turn..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tether.web..", "dev.tether.store..",
                        "dev.tether.cluster..", "io.javalin..", "java.sql..")
                .check(main);
    }

    @Test
    void webDoesNotReachIntoStoresOrCluster() {
        noClasses().that().resideInAPackage("dev.tether.web..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tether.store..", "dev.tether.cluster..",
                        "java.sql..")
                .check(main);
    }

    @Test
    void onlyWebKnowsJavalin() {
        noClasses().that().resideOutsideOfPackages("dev.tether.web..")
                .should().dependOnClassesThat().resideInAPackage("io.javalin..")
                .check(main);
    }

    @Test
    void onlyStoresUseJdbc() {
        noClasses().that().resideOutsideOfPackages("dev.tether.store..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "com.zaxxer..",
                        "org.flywaydb..")
                .check(main);
    }

    @Test
    void modelKnowsNothingOfSessionsTurnsOrWeb() {
        noClasses().that().resideInAPackage("dev.tether.model..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tether.session..", "dev.tether.turn..",
                        "dev.tether.web..", "dev.tether.store..")
                .check(main);
    }

    @Test
    void storesImplementPortsOnly() {
        noClasses().that().resideInAPackage("dev.tether.store..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tether.turn..", "dev.tether.web..",
                        "dev.tether.model..")
                .check(main);
    }
}
