package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ssh.OpenSshServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cli/opsctl.classes}, the list the launcher dumps its AppCDS archive from, recorded by the
 * packaged jar from the starts it stands for: {@code --help}, {@code validate} of the shipped
 * runbooks, and {@code exec} and {@code run} over a real sshd. A class the list lacks is read from
 * the jar and verified at every start, and a lambda it lacks is spun with ASM and compiled each
 * time: a list some months stale cost ~70 ms of a 1.0 s, 100-step run (bench/README.md). The test
 * fails when more than {@value #SLACK} of the non-JDK classes and lambda call sites these starts load
 * are missing from it (three recordings in a row were identical; the slack is for what timing may
 * decide under load, such as a step ending before the next session is opened ahead);
 * {@code -Dopsctl.regenerate=true} rewrites the list.
 */
class ClassListIT {
    static final String FILE = "cli/opsctl.classes";
    private static final String REGENERATE = "mvn -B -o verify -Dit.test=ClassListIT -Dtest=none"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dopsctl.regenerate=true";
    private static final int SLACK = 10;

    @RegisterExtension
    static final OpenSshServer HOST = new OpenSshServer("127.0.1.23");

    @TempDir
    Path tmp;

    @Test
    void theArchiveListHoldsWhatTypicalStartsLoad() throws Exception {
        Path inventory = Files.writeString(tmp.resolve("inventory.yaml"), """
                apiVersion: opsctl/v1
                kind: Inventory
                hosts:
                  h1: {address: %s, port: %d, user: %s, identity_file: %s}
                """.formatted(HOST.address(), HOST.port(), OpenSshServer.USER, HOST.clientKey()));
        String steps = IntStream.rangeClosed(1, 5).mapToObj(i -> "  - {id: s" + i + ", shell: \"true\"}\n").collect(Collectors.joining());
        Path runbook = Files.writeString(tmp.resolve("steps.yaml"),
                "apiVersion: opsctl/v1\nkind: Runbook\nmetadata: {name: steps}\ntargets: all\nsteps:\n" + steps);
        String knownHosts = HOST.knownHosts().toString();
        List<List<String>> starts = List.of(
                List.of("--help"),
                List.of("validate", Path.of("runbooks").toAbsolutePath().toString()),
                List.of("exec", "-i", inventory.toString(), "--known-hosts", knownHosts, "--", "true"),
                List.of("run", runbook.toString(), "-i", inventory.toString(), "--known-hosts", knownHosts, "--yes",
                        "--state-dir", tmp.resolve("state").toString()));
        List<List<String>> recorded = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            recorded.add(record(starts.get(i), tmp.resolve("classes." + i)));
        }
        String generated = assemble(recorded);
        Path file = Path.of(FILE);
        if (Boolean.getBoolean("opsctl.regenerate")) {
            Files.writeString(file, generated, StandardCharsets.UTF_8);
        }

        Set<String> committed = Set.copyOf(Files.readAllLines(file, StandardCharsets.UTF_8));
        List<String> relevant = generated.lines().filter(ClassListIT::isOursOrALibrarys).toList();
        List<String> missing = relevant.stream().filter(l -> !committed.contains(l)).toList();
        assertTrue(relevant.size() > 1000, "the starts loaded opsctl's classes: " + relevant.size());
        assertTrue(missing.size() <= SLACK, FILE + " is stale: " + missing.size() + " of the " + relevant.size()
                + " classes and lambdas these starts load are not in it, e.g. " + missing.subList(0, Math.min(8, missing.size()))
                + "; regenerate with '" + REGENERATE + "'");
    }

    /** Runs one start of the packaged jar with a clean home, and returns the class list the JVM wrote. */
    private List<String> record(List<String> args, Path list) throws IOException, InterruptedException {
        Path home = Files.createDirectories(tmp.resolve("home"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(launcherOptions());
        cmd.add("-XX:DumpLoadedClassList=" + list);
        cmd.add("-Duser.home=" + home);
        cmd.add("-jar");
        cmd.add(Path.of(System.getProperty("opsctl.jar", "target/opsctl.jar")).toString());
        cmd.addAll(args);
        Path output = tmp.resolve("output");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // what an operator's environment may add would record another start: an exec handed to a keeper, other JVM flags
        pb.environment().keySet().removeIf(k -> k.startsWith("OPSCTL_") || k.equals("_JAVA_OPTIONS") || k.equals("JAVA_TOOL_OPTIONS")
                || k.equals("JDK_JAVA_OPTIONS"));
        Process p = pb.start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "opsctl " + args + " finished");
        assertEquals(0, p.exitValue(), "opsctl " + args + ":\n" + Files.readString(output, StandardCharsets.UTF_8));
        return Files.readAllLines(list, StandardCharsets.UTF_8);
    }

    /** The JVM options the launcher starts opsctl with (its {@code opts=(...)} line), which decide some of the lambda forms spun. */
    private static List<String> launcherOptions() throws IOException {
        List<String> opts = Files.readAllLines(Path.of("cli/opsctl"), StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("opts=(") && l.endsWith(")"))
                .flatMap(l -> List.of(l.substring("opts=(".length(), l.length() - 1).split(" +")).stream())
                .toList();
        assertTrue(opts.contains("-XX:+UseSerialGC"), "read the launcher's options: " + opts);
        return opts;
    }

    /**
     * The class names first, sorted (generated proxies cannot be archived), then the
     * {@code @lambda-proxy} and {@code @lambda-form-invoker} lines, which must follow the classes
     * they name: with them the archive holds the lambda and method-handle classes a start spins up.
     */
    static String assemble(List<List<String>> recorded) {
        Set<String> classes = new TreeSet<>();
        Set<String> lambdas = new LinkedHashSet<>();
        for (List<String> lines : recorded) {
            for (String line : lines) {
                if (line.startsWith("@")) {
                    lambdas.add(line);
                } else if (!line.startsWith("#") && !line.isBlank() && !line.matches(".*\\$Proxy\\d.*")) {
                    classes.add(line);
                }
            }
        }
        StringBuilder out = new StringBuilder()
                .append("# The classes a typical opsctl start loads (--help, validate, exec and run over SSH), for the launcher's AppCDS archive.\n")
                .append("# Written by ClassListIT ('" + REGENERATE + "'), which fails when it is stale;\n")
                .append("# a stale list only costs start-up time, never correctness.\n");
        classes.forEach(c -> out.append(c).append('\n'));
        lambdas.forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }

    /** Not a JDK class: the JDK's own differ between builds, and the JDK's default archive holds the common ones. */
    private static boolean isOursOrALibrarys(String line) {
        String name = line.startsWith("@lambda-proxy ") ? line.split(" ")[1] : line;
        return !line.startsWith("#") && !line.startsWith("@lambda-form-invoker")
                && !name.matches("(java|javax|jdk|sun|com/sun)/.*");
    }
}
