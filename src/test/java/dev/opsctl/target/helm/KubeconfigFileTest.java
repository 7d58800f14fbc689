package dev.opsctl.target.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.TargetException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubeconfig Helm is given: this user's alone while it exists, and gone after the call, however it ends. */
class KubeconfigFileTest {
    private static final String KUBECONFIG = "apiVersion: v1\nkind: Config\nusers:\n- name: ops\n  user: {token: not-a-secret}\n";

    @TempDir
    Path tmp;

    @Test
    void theFileIsThisUsersAloneAndGoneWhenClosed() throws Exception {
        Path file;
        try (KubeconfigFile f = KubeconfigFile.of(new HelmTarget.Cluster(KUBECONFIG, "prod"), tmp)) {
            file = f.path().orElseThrow();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals(KUBECONFIG, Files.readString(file));
        }
        assertFalse(Files.exists(file));
    }

    @Test
    void aFileThatCouldNotBeWrittenWholeIsNotLeftBehind() {
        // a lone surrogate cannot be written as UTF-8: the write fails after the file was made, as on a full disk
        TargetException e = assertThrows(TargetException.class,
                () -> KubeconfigFile.of(new HelmTarget.Cluster(KUBECONFIG + "# \uD800\n", "prod"), tmp));
        assertTrue(e.getMessage().startsWith("cannot write the kubeconfig of kube context 'prod' for Helm to a temporary file"),
                e.getMessage());
        assertEquals(List.of(), tmp.toFile().list() == null ? List.of() : List.of(tmp.toFile().list()), "left in " + tmp);
    }

    @Test
    void aProcessEndedDuringTheCallLeavesNoFileBehind() throws Exception {
        // a Helm call cannot be interrupted (native code): Ctrl-C ends the JVM after the run's grace, with the call under way
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), KubeconfigFileHolder.class.getName(), tmp.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("holding "), "the holder said: " + line);
            Path file = Path.of(line.substring("holding ".length()));
            assertTrue(Files.exists(file), file.toString());
            p.destroy(); // SIGTERM: the JVM runs its shutdown hooks, as on Ctrl-C
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the holder ended");
            assertFalse(Files.exists(file), "left behind, with the cluster's credentials: " + file);
        } finally {
            p.destroyForcibly();
        }
    }
}
