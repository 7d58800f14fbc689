package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.ExecRequest;
import dev.opsctl.target.TargetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An exec request the host received and acted on, whose answer never reached opsctl because the
 * connection was reset first (sshd's process ended after it started the command: the OOM killer, a
 * crash; or a middlebox reset it). Sent again on a new connection, the command would run twice.
 * Holds the answer back with iptables (its u32 match) and resets the host's socket with {@code ss -K}.
 */
class ResetBeforeAnswerIT {
    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer("127.0.1.180", "DEBUG1"); // logs each channel it opens

    /** A TCP segment with at least 4 bytes of payload (u32 fails a match that reads past the packet's end). */
    private static final String CARRIES_DATA = "0>>22&0x3C@12>>26&0x3C@0=0:0xFFFFFFFF";

    private final List<String> dropRule = new ArrayList<>();

    @AfterEach
    void end() throws Exception {
        if (!dropRule.isEmpty()) {
            List<String> delete = new ArrayList<>(dropRule);
            delete.set(1, "-D");
            OpenSshServer.run(delete.toArray(String[]::new));
        }
        SSHD.killConnectionProcesses();
    }

    @Test
    void anExecRequestTheHostActedOnIsNotSentAgainWhenTheConnectionIsResetBeforeItsAnswer() throws Exception {
        Path log = Path.of("/tmp", "opsctl-reset-" + System.nanoTime() + ".log");
        try (SshTarget t = new SshTarget(SSHD.settingsWithServerAlive(Duration.ofSeconds(1)), SSHD.dir())) {
            t.exec(ExecRequest.of("echo one"));
            t.exec(ExecRequest.of("echo two")); // opens the next one's session ahead
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (SSHD.log().split("server_input_channel_open: confirm session", -1).length - 1 < 3 && System.nanoTime() < until) {
                Thread.sleep(5); // until it is open: its exec request, not its open, is what goes unanswered
            }
            int port = clientPort();
            // from here what sshd sends on this connection is lost on the way, but not its bare ACKs, so that opsctl's
            // keepalives still go out, nor its reset
            dropRule.addAll(List.of("iptables", "-I", "OUTPUT", "-p", "tcp", "-s", SSHD.address(), "--sport", String.valueOf(SSHD.port()),
                    "--dport", String.valueOf(port), "-m", "u32", "--u32", CARRIES_DATA, "-j", "DROP"));
            OpenSshServer.run(dropRule.toArray(String[]::new));
            CompletableFuture<Object> outcome = CompletableFuture.supplyAsync(() -> {
                try {
                    return t.exec(ExecRequest.of("echo ran >> " + log));
                } catch (TargetException e) {
                    return e;
                } catch (InterruptedException e) {
                    return e;
                }
            });
            until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!(Files.exists(log) && Files.readString(log).contains("ran")) && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertTrue(Files.exists(log), "sshd ran the command");
            // the host resets the connection (its socket destroyed, as a crash or a firewall's reset would end it)
            OpenSshServer.run("ss", "-K", "src", SSHD.address(), "sport", "=", ":" + SSHD.port(), "dport", "=", ":" + port);
            Object result = outcome.get(30, TimeUnit.SECONDS); // a second run, if any, came before the result
            assertEquals("ran\n", Files.readString(log), "run once: " + result);
            TargetException e = assertInstanceOf(TargetException.class, result);
            assertEquals(TargetException.Kind.CONNECTION_LOST, e.kind(), e.getMessage());
            assertEquals(TargetException.LostCommand.MAY_STILL_RUN, e.lostCommand(), e.getMessage());
            assertTrue(e.getMessage().startsWith("host '127.0.1.180': the ssh connection to '127.0.1.180:" + SSHD.port()
                    + "' broke before it answered the request to start running 'echo ran >> " + log + "' ("), e.getMessage());
            assertTrue(e.getMessage().endsWith("); opsctl did not send it again: the host may have started it"), e.getMessage());
            assertEquals("ok\n", t.exec(ExecRequest.of("echo ok")).stdout(), "the target goes on, on a new connection");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The local port of the one connection to the server. */
    private static int clientPort() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ss", "-tnH", "state", "established", "dst", SSHD.address(), "dport", "=", ":" + SSHD.port())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        assertEquals(1, out.lines().count(), out);
        String local = out.split("\\s+")[2];
        return Integer.parseInt(local.substring(local.lastIndexOf(':') + 1));
    }
}
