package dev.opsctl.target.ssh;

import static dev.opsctl.target.ssh.TestHostKeys.KEY_A;
import static dev.opsctl.target.ssh.TestHostKeys.KEY_B;
import static dev.opsctl.target.ssh.TestHostKeys.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** accept-new recording keys into the user's known_hosts file. */
class KnownHostsRecordingTest {
    @TempDir
    Path tmp;

    private KnownHostsVerifier acceptNew(Path file) {
        return new KnownHostsVerifier(HostKeys.userFilesOnly(List.of(file), true), tmp);
    }

    @Test
    void hostsRecordedAtOnceIntoAFileThatDoesNotExistYetAreAllRecorded() throws Exception {
        int hosts = 100;
        ExecutorService pool = Executors.newFixedThreadPool(hosts);
        try {
            for (int round = 0; round < 30; round++) {
                Path file = tmp.resolve("round" + round + "/ssh/kh");
                CyclicBarrier start = new CyclicBarrier(hosts);
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < hosts; i++) {
                    String host = "127.0.2." + i;
                    results.add(pool.submit(() -> {
                        KnownHostsVerifier v = acceptNew(file);
                        start.await();
                        return v.verify(host, 2210, key(KEY_A)) ? "ok" : v.rejection().orElseThrow();
                    }));
                }
                for (Future<String> r : results) {
                    assertEquals("ok", r.get(), "round " + round);
                }
                assertEquals(hosts, Files.readAllLines(file).size(), "round " + round);
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
                assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aKnownHostsFileThatIsASymlinkToAMissingFileIsCreatedThroughTheLinkAsSshDoes() throws Exception {
        Path target = tmp.resolve("dotfiles-kh");
        Path link = Files.createSymbolicLink(tmp.resolve("known_hosts"), target);
        assertTrue(acceptNew(link).verify("127.0.2.1", 22, key(KEY_A)), "accepted");
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals("127.0.2.1 ssh-ed25519 " + KEY_A + "\n", Files.readString(target));
    }

    @Test
    void aKeyIsRecordedOnItsOwnLineAfterALastLineWithoutANewline() throws Exception {
        Path file = Files.writeString(tmp.resolve("kh"), "127.0.2.9 ssh-ed25519 " + KEY_B);
        assertTrue(acceptNew(file).verify("127.0.2.1", 22, key(KEY_A)));
        assertEquals(List.of("127.0.2.9 ssh-ed25519 " + KEY_B, "127.0.2.1 ssh-ed25519 " + KEY_A), Files.readAllLines(file));
    }

    @Test
    void aFileThatCannotBeWrittenIsNamedWithWhatFailed() throws Exception {
        Path notADirectory = Files.writeString(tmp.resolve("plain-file"), "");
        KnownHostsVerifier v = acceptNew(notADirectory.resolve("known_hosts"));
        assertFalse(v.verify("127.0.2.1", 22, key(KEY_A)));
        assertTrue(v.rejection().orElseThrow().startsWith("cannot record the host key for '127.0.2.1': cannot create the directory '"
                + notADirectory + "'"), v.rejection().orElseThrow());
    }
}
