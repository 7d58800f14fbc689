package dev.opsctl;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency rules of STYLE.md, checked on the compiled main classes. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.opsctl");
    }

    @Test
    void layersOnlyReachDown() {
        ArchRule rule = layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .withOptionalLayers(true)
                .layer("main").definedBy("dev.opsctl")
                .layer("source").definedBy("dev.opsctl.source..")
                .layer("event").definedBy("dev.opsctl.event..")
                .layer("template").definedBy("dev.opsctl.template..")
                .layer("param").definedBy("dev.opsctl.param..")
                .layer("target").definedBy("dev.opsctl.target..")
                .layer("action").definedBy("dev.opsctl.action..")
                .layer("runbook").definedBy("dev.opsctl.runbook..")
                .layer("inventory").definedBy("dev.opsctl.inventory..")
                .layer("checklist").definedBy("dev.opsctl.checklist..")
                .layer("engine").definedBy("dev.opsctl.engine..")
                .layer("report").definedBy("dev.opsctl.report..")
                .layer("app").definedBy("dev.opsctl.app..")
                .layer("shell").definedBy("dev.opsctl.shell..")
                .layer("cli").definedBy("dev.opsctl.cli..")
                .whereLayer("source").mayNotAccessAnyLayer()
                .whereLayer("event").mayOnlyAccessLayers("source")
                .whereLayer("template").mayOnlyAccessLayers("source")
                .whereLayer("param").mayOnlyAccessLayers("source")
                .whereLayer("target").mayOnlyAccessLayers("source", "event")
                .whereLayer("action").mayOnlyAccessLayers("source", "event", "template", "target")
                .whereLayer("runbook").mayOnlyAccessLayers("source", "event", "template", "param", "target", "action")
                .whereLayer("inventory").mayOnlyAccessLayers("source", "event", "template")
                .whereLayer("checklist").mayOnlyAccessLayers("source", "event", "template", "param", "target", "action")
                .whereLayer("engine").mayOnlyAccessLayers(
                        "source", "event", "template", "param", "target", "action", "runbook", "inventory", "checklist")
                .whereLayer("report").mayOnlyAccessLayers(
                        "source", "event", "template", "param", "target", "action", "runbook", "inventory", "checklist")
                .whereLayer("app").mayOnlyAccessLayers(
                        "source", "event", "template", "param", "target", "action", "runbook", "inventory", "checklist",
                        "engine", "report")
                .whereLayer("shell").mayOnlyAccessLayers(
                        "source", "event", "template", "param", "target", "action", "runbook", "inventory", "checklist",
                        "engine", "report", "app")
                .whereLayer("cli").mayOnlyAccessLayers(
                        "source", "event", "template", "param", "target", "action", "runbook", "inventory", "checklist",
                        "engine", "report", "app", "shell")
                .whereLayer("main").mayOnlyAccessLayers("cli");
        rule.check(classes);
    }

    @Test
    void engineUsesOnlyTheActionAndTargetInterfaces() {
        noClasses().that().resideInAPackage("dev.opsctl.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.opsctl.action.*..", "dev.opsctl.target.*..")
                .because("the engine knows nothing of SSH or Docker; steps are found through the registry")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void eachLibraryStaysInItsPackage() {
        noClasses().that().resideOutsideOfPackage("dev.opsctl.target.ssh..")
                .should().dependOnClassesThat().resideInAPackage("net.schmizz..")
                .orShould().dependOnClassesThat().resideInAPackage("com.hierynomus..")
                .check(classes);
        noClasses().that().resideOutsideOfPackage("dev.opsctl.target.docker..")
                .should().dependOnClassesThat().resideInAPackage("com.github.dockerjava..")
                .check(classes);
        noClasses().that().resideOutsideOfPackage("dev.opsctl.target.kube..")
                .should().dependOnClassesThat().resideInAPackage("io.fabric8..")
                .check(classes);
        noClasses().that().resideOutsideOfPackage("dev.opsctl.target.helm..")
                .should().dependOnClassesThat().resideInAPackage("com.marcnuri..")
                .because("helm-java loads a ~100 MB native library: one package decides when")
                .check(classes);
        noClasses().that().resideOutsideOfPackages("dev.opsctl.cli..", "dev.opsctl.shell..", "dev.opsctl")
                .should().dependOnClassesThat().resideInAPackage("picocli..")
                .check(classes);
        noClasses().that().resideOutsideOfPackage("dev.opsctl.shell..")
                .should().dependOnClassesThat().resideInAPackage("org.jline..")
                .check(classes);
        noClasses().that().resideOutsideOfPackage("dev.opsctl.source..")
                .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson.dataformat.yaml..")
                .because("YamlTree is the one place that parses YAML, so every loader reports positions alike")
                .check(classes);
    }

    @Test
    void onlyTheFrontEndsPrint() {
        noClasses().that().resideOutsideOfPackages("dev.opsctl.cli..", "dev.opsctl.shell..", "dev.opsctl.report..", "dev.opsctl")
                .should().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .because("the engine emits events; only the front ends write to the terminal")
                .check(classes);
    }

    @Test
    void onlyTheProcessEntriesExit() {
        noClasses().that().doNotHaveFullyQualifiedName("dev.opsctl.Main").and().doNotHaveFullyQualifiedName("dev.opsctl.KeeperMain")
                .should().callMethod(System.class, "exit", int.class)
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.opsctl.(*)..").should().beFreeOfCycles().check(classes);
    }
}
