package dev.tether;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.tether.session.SessionLifecycle;
import dev.tether.session.SessionRecords;
import dev.tether.session.SessionStore;
import dev.tether.session.Transitions;
import dev.tether.session.TurnEnding;
import dev.tether.session.TurnJournal;
import dev.tether.session.TurnState;
import dev.tether.turn.TurnEnds;
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
                        "dev.tether.store..", "dev.tether.model..", "dev.tether.cluster..", "dev.tether.tool..")
                .check(main);
    }

    @Test
    void turnDoesNotKnowHttpOrStorage() {
        noClasses().that().resideInAPackage("dev.tether.turn..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tether.web..", "dev.tether.store..",
                        "dev.tether.cluster..", "io.javalin..", "java.sql..")
                .check(main);
    }

    /** Event payloads are the domain's ({@code session.EventPayloads}), wire JSON is the web's: the live machinery has no JSON code. */
    @Test
    void turnWritesNoJson() {
        noClasses().that().resideInAPackage("dev.tether.turn..")
                .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson..")
                .check(main);
    }

    /** The tool room runs MCP servers and calls: it knows sessions and models, never turns, HTTP or storage. */
    @Test
    void toolKnowsNoTurnsWebOrStorage() {
        noClasses().that().resideInAPackage("dev.tether.tool..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tether.turn..", "dev.tether.web..",
                        "dev.tether.store..", "dev.tether.cluster..", "io.javalin..", "java.sql..")
                .check(main);
    }

    /** Only the tool room speaks MCP: the SDK stays behind its {@code ToolBox}. */
    @Test
    void onlyToolKnowsTheMcpSdk() {
        noClasses().that().resideOutsideOfPackages("dev.tether.tool..")
                .should().dependOnClassesThat().resideInAPackage("io.modelcontextprotocol..")
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

    /** Micrometer lives in one room: the rest of Tether tells it what happened through ports ({@code TurnWatch}, {@code WebWatch}). */
    @Test
    void onlyMetricsKnowsMicrometer() {
        noClasses().that().resideOutsideOfPackages("dev.tether.metrics..")
                .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", "io.prometheus..")
                .check(main);
    }

    /** Logback is set up in one place; everything else logs through SLF4J. */
    @Test
    void onlyLoggingKnowsLogback() {
        noClasses().that().resideOutsideOfPackages("dev.tether.logging..")
                .should().dependOnClassesThat().resideInAPackage("ch.qos.logback..")
                .check(main);
    }

    /** The metrics implement ports; only the wiring ({@code dev.tether}) knows them. */
    @Test
    void onlyTheWiringKnowsTheMetrics() {
        noClasses().that().resideInAnyPackage("dev.tether.session..", "dev.tether.turn..", "dev.tether.web..",
                        "dev.tether.store..", "dev.tether.model..", "dev.tether.account..", "dev.tether.config..")
                .should().dependOnClassesThat().resideInAPackage("dev.tether.metrics..")
                .check(main);
    }

    @Test
    void onlyStoresUseJdbc() {
        noClasses().that().resideOutsideOfPackages("dev.tether.store..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "com.zaxxer..",
                        "org.flywaydb..")
                .check(main);
    }

    /** What every SQL store shares knows no database in particular: a second store reuses it as it is. */
    @Test
    void sharedJdbcCodeKnowsNoParticularDatabase() {
        noClasses().that().resideInAPackage("dev.tether.store.jdbc..")
                .should().dependOnClassesThat().resideInAnyPackage("org.sqlite..", "org.postgresql..",
                        "dev.tether.store.sqlite..", "dev.tether.store.postgres..")
                .check(main);
    }

    @Test
    void modelKnowsNothingOfSessionsTurnsOrWeb() {
        noClasses().that().resideInAPackage("dev.tether.model..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tether.session..", "dev.tether.turn..",
                        "dev.tether.web..", "dev.tether.store..", "dev.tether.tool..")
                .check(main);
    }

    @Test
    void storesImplementPortsOnly() {
        noClasses().that().resideInAPackage("dev.tether.store..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tether.turn..", "dev.tether.web..",
                        "dev.tether.model..", "dev.tether.tool..")
                .check(main);
    }

    /** Routes read through {@code SessionReads}; every change goes through the lifecycle, the runner or the door. */
    @Test
    void webReachesNoTransitionOrJournal() {
        noClasses().that().resideInAPackage("dev.tether.web..")
                .should().dependOnClassesThat().belongToAnyOf(SessionStore.class, SessionRecords.class,
                        Transitions.class, TurnJournal.class)
                .check(main);
    }

    /** The live machinery changes sessions only through the lifecycle, and reads through the read port. */
    @Test
    void turnReachesNoStoreTransaction() {
        noClasses().that().resideInAPackage("dev.tether.turn..")
                .should().dependOnClassesThat().belongToAnyOf(SessionStore.class, SessionRecords.class,
                        Transitions.class)
                .check(main);
    }

    /** One place writes a turn's terminal state: the end rule. */
    @Test
    void onlyTheEndRuleWritesATerminalState() {
        noClasses().that().doNotBelongToAnyOf(Transitions.class)
                .should().callMethod(SessionRecords.class, "endTurnRow", String.class, TurnState.class,
                        java.time.Instant.class)
                .check(main);
    }

    /** One door ends a turn: the worker, Stop, delete, recovery and shutdown all go through {@code TurnEnds}. */
    @Test
    void onlyTheDoorEndsOrDeletesAtTheLifecycle() {
        noClasses().that().doNotBelongToAnyOf(TurnEnds.class)
                .should().callMethod(SessionLifecycle.class, "end", TurnEnding.class)
                .orShould().callMethod(SessionLifecycle.class, "delete", String.class, String.class, String.class,
                        TurnEnding.class)
                .check(main);
    }
}
