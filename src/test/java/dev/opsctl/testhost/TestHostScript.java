package dev.opsctl.testhost;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs {@code testhost.sh} and the other fixture scripts from the test classpath. */
final class TestHostScript {

    private final Path dir;
    private final Path stateDir;

    TestHostScript(Path dir, Path stateDir) {
        this.dir = dir;
        this.stateDir = stateDir;
    }

    /** The scripts as copied to the test classpath (target/test-classes/testhosts). */
    static Path scriptsOnClasspath() {
        URL url = TestHostScript.class.getResource("/testhosts/testhost.sh");
        if (url == null || !url.getProtocol().equals("file")) {
            throw new IllegalStateException("testhosts/testhost.sh is not a file on the test classpath: " + url);
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Path stateDir() {
        return stateDir;
    }

    Path lbCtl() {
        return stateDir.resolve("lib/lb-ctl");
    }

    HostExec testhost(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", dir.resolve("testhost.sh").toString()));
        command.addAll(List.of(args));
        return run(command, timeout);
    }

    /** {@code testhost.sh info N} as a map. */
    Map<String, String> info(int number) {
        HostExec info = testhost(Duration.ofSeconds(10), "info", Integer.toString(number)).orFail();
        return info.stdout().lines()
                .filter(l -> l.contains("="))
                .collect(java.util.stream.Collectors.toMap(l -> l.substring(0, l.indexOf('=')),
                        l -> l.substring(l.indexOf('=') + 1)));
    }

    HostExec run(List<String> command, Duration timeout) {
        return run(command, timeout, Map.of());
    }

    HostExec run(List<String> command, Duration timeout, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("OPSCTL_TESTHOSTS_STATE", stateDir.toString());
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        String shown = String.join(" ", command);
        try {
            Process p = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
                return new HostExec(shown, 124, out.get(), err.get() + "\ntimed out after " + timeout.toSeconds() + " s");
            }
            return new HostExec(shown, p.exitValue(), out.get(), err.get());
        } catch (IOException e) {
            throw new UncheckedIOException("could not run '" + shown + "'", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running '" + shown + "'", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not read the output of '" + shown + "'", e);
        }
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean onPath(String command) {
        if (command.startsWith("/")) {
            return Files.isExecutable(Path.of(command));
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (String d : (path + ":/usr/sbin:/sbin").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }
}
