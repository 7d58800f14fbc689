package dev.opsctl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.engine.ExitCodes;
import dev.opsctl.engine.execute.TargetProvider;
import dev.opsctl.testhost.DockerTestHosts;
import dev.opsctl.testhost.HostExec;
import dev.opsctl.testhost.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * volume-backup and volume-restore on a real Docker host (test host 82, its own dockerd), over SSH:
 * an application container writes into a volume, the backup pauses it while the volume is read, the
 * volume is destroyed (container and volume removed) or overwritten under a running container, and
 * the restore must bring back the same bytes, modes, owners and links, proven by a fingerprint the
 * test takes itself, not by the runbook's own listing.
 */
class VolumeBackupIT {
    @RegisterExtension
    static final DockerTestHosts HOSTS = DockerTestHosts.numbered(82);

    private static final String ROOT = "/var/lib/opsctl-it-volume-backups";
    private static final String VOLUME = "appdata";
    /** Files of several kinds: text, random binary, a private file of another user, a symlink, an empty directory. */
    private static final String WRITE = "mkdir -p /data/notes /data/empty /data/blobs"
            + " && echo 'hello from before the backup' > /data/notes/hello.txt"
            + " && head -c 65536 /dev/urandom > /data/blobs/random.bin"
            + " && echo secret-ish > /data/notes/private.txt && chown 1000:1000 /data/notes/private.txt && chmod 600 /data/notes/private.txt"
            + " && ln -s notes/hello.txt /data/current && chmod 750 /data/blobs";
    /** Type, mode, owner and target of every entry, and every file's SHA-256, as the test (not the runbook) sees them. */
    private static final String FINGERPRINT = "docker run --rm --user 0:0 -v " + VOLUME + ":/v:ro busybox sh -c"
            + " 'cd /v && find . -mindepth 1 | sort | while read -r p; do"
            + " if [ -L \"$p\" ]; then echo \"L $p -> $(readlink \"$p\")\";"
            + " elif [ -d \"$p\" ]; then echo \"D $p $(stat -c %a:%u:%g \"$p\")\";"
            + " else echo \"F $p $(stat -c %a:%u:%g:%s \"$p\") $(sha256sum < \"$p\" | cut -c1-64)\"; fi; done'";

    @TempDir
    Path tmp;

    private TestHost host;
    private Path inventory;

    @BeforeEach
    void anAppWritingIntoAVolume() throws Exception {
        host = HOSTS.host(82);
        exec("docker image inspect busybox >/dev/null 2>&1 || docker tag workspace-base:latest busybox:latest");
        exec("docker rm -f app >/dev/null 2>&1; docker volume rm -f " + VOLUME + " >/dev/null 2>&1; rm -rf " + ROOT
                + "; docker volume create " + VOLUME + " >/dev/null");
        // --init: a shell or sleep as PID 1 ignores SIGTERM, so every stop by the runbooks would wait out docker's 10 s
        exec("docker run -d --init --name app --user 0:0 -v " + VOLUME + ":/data busybox sh -c \"" + WRITE.replace("\"", "\\\"")
                + " && while true; do date +%s%N >> /data/ticks; sleep 0.05; done\" >/dev/null"
                + " && for i in $(seq 100); do docker exec app test -e /data/ticks && break; sleep 0.1; done");
        inventory = Files.writeString(tmp.resolve("inventory.yaml"), "apiVersion: opsctl/v1\nkind: Inventory\nhosts:\n  "
                + host.name() + ": {address: " + host.address() + ", port: " + host.sshPort() + ", user: " + host.user() + "}\n");
    }

    @Test
    void aDestroyedVolumeComesBackWithTheSameBytesModesOwnersAndLinks() throws Exception {
        ShippedRun.Result backup = run("volume-backup", "volumes=" + VOLUME);
        assertEquals(ExitCodes.OK, backup.code(), backup.describe());
        String archived = stdout(backup, "volumes.archive");
        assertTrue(archived.contains("volume '" + VOLUME + "': container 'app' paused while it is read"), archived);
        assertEquals("running", exec("docker inspect -f '{{.State.Status}}' app").stdout().strip(), "the app was unpaused");

        // what the volume held at the backup: the app is stopped so that the ticks file stops growing
        exec("docker stop -t 1 app >/dev/null");
        String name = exec("ls " + ROOT + " | grep -E '^[0-9]{8}-[0-9]{6}$'").stdout().strip();
        String dir = ROOT + "/" + name;
        assertTrue(exec("cd " + dir + " && sha256sum --check SHA256SUMS").stdout().contains("volumes/" + VOLUME + ".tar: OK"));
        assertTrue(exec("cat " + dir + "/manifest.tsv").stdout().contains("volume\tvolumes/" + VOLUME + ".list\t"));
        assertEquals("700", exec("stat -c %a " + dir).stdout().strip(), "the backup is private");
        // the backup holds the data as it was when it was taken: compare the volume once the ticks written after are cut
        String ticksInBackup = exec("tar -xOf " + dir + "/volumes/" + VOLUME + ".tar ./ticks | wc -l").stdout().strip();
        exec("docker run --rm --user 0:0 -v " + VOLUME + ":/v busybox sh -c 'head -n " + ticksInBackup + " /v/ticks > /v/t && cat /v/t > /v/ticks && rm /v/t'");
        String before = exec(FINGERPRINT).stdout();
        assertTrue(before.contains("F ./notes/private.txt 600:1000:1000:11 "), before);
        assertTrue(before.contains("L ./current -> notes/hello.txt"), before);

        exec("docker rm -f app >/dev/null && docker volume rm " + VOLUME + " >/dev/null");
        assertFalse(HOSTS.exec(host, "docker volume inspect " + VOLUME).ok(), "the volume is gone");

        ShippedRun.Result refused = run("volume-restore", "volumes=" + VOLUME);
        assertEquals(ExitCodes.FAILED, refused.code(), refused.describe());
        assertTrue(stderr(refused, "confirm").contains("-e confirm=" + name), refused.describe());
        assertFalse(HOSTS.exec(host, "docker volume inspect " + VOLUME).ok(), "a refused restore created the volume");

        ShippedRun.Result restore = run("volume-restore", "volumes=" + VOLUME, "confirm=" + name);
        assertEquals(ExitCodes.OK, restore.code(), restore.describe());
        String said = stdout(restore, "volumes.restore");
        assertTrue(said.contains("volume '" + VOLUME + "' did not exist: created it"), said);
        assertTrue(said.contains("volume '" + VOLUME + "' restored, verified: 4 files match"), said);
        assertEquals(before, exec(FINGERPRINT).stdout(), "the restored volume differs from the one backed up");
        assertEquals("hello from before the backup\n",
                exec("docker run --rm -v " + VOLUME + ":/v:ro busybox cat /v/current").stdout());
    }

    @Test
    void aVolumeOverwrittenUnderARunningContainerIsRestoredWithTheContainerStoppedAndStartedAgain() throws Exception {
        exec("docker rm -f app >/dev/null && docker run -d --init --name app -v " + VOLUME + ":/data busybox sleep 600 >/dev/null");
        ShippedRun.Result backup = run("volume-backup", "volumes=" + VOLUME, "volume_quiesce=stop");
        assertEquals(ExitCodes.OK, backup.code(), backup.describe());
        assertTrue(stdout(backup, "volumes.archive").contains("container 'app' stopped while it is read"), backup.describe());
        assertEquals("running", exec("docker inspect -f '{{.State.Status}}' app").stdout().strip(), "the app was started again");
        String before = exec(FINGERPRINT).stdout();
        String name = exec("ls " + ROOT + " | grep -E '^[0-9]{8}-[0-9]{6}$'").stdout().strip();

        // a bad deploy rewrites the data while a container keeps it open
        exec("docker exec --user 0:0 app sh -c 'echo overwritten > /data/notes/hello.txt && rm -rf /data/blobs'");
        assertFalse(before.equals(exec(FINGERPRINT).stdout()));

        ShippedRun.Result restore = run("volume-restore", "volumes=" + VOLUME, "confirm=" + name);
        assertEquals(ExitCodes.OK, restore.code(), restore.describe());
        String said = stdout(restore, "volumes.restore");
        assertTrue(said.contains("stopped for the restore") && said.contains("started again"), said);
        assertEquals(before, exec(FINGERPRINT).stdout());
        assertEquals("running", exec("docker inspect -f '{{.State.Status}}' app").stdout().strip());
        String saved = exec("ls -d " + ROOT + "/pre-restore-*").stdout().strip();
        assertEquals("overwritten\n", exec("tar -xOf " + saved + "/volumes/" + VOLUME + ".tar ./notes/hello.txt").stdout(),
                "what the restore replaced was saved");
    }

    @Test
    void aRestoreThatDoesNotMatchTheListingFailsAndLeavesTheContainersStopped() throws Exception {
        ShippedRun.Result backup = run("volume-backup", "volumes=" + VOLUME);
        assertEquals(ExitCodes.OK, backup.code(), backup.describe());
        String name = exec("ls " + ROOT + " | grep -E '^[0-9]{8}-[0-9]{6}$'").stdout().strip();
        String list = ROOT + "/" + name + "/volumes/" + VOLUME + ".list";
        // the listing says another content for hello.txt than the archive holds; SHA256SUMS updated so only the comparison can tell
        exec("sed -i 's/^[0-9a-f]\\{64\\}  \\.\\/notes\\/hello.txt$/" + "0".repeat(64) + "  .\\/notes\\/hello.txt/' " + list
                + " && cd " + ROOT + "/" + name + " && sed -i '/volumes\\/" + VOLUME + ".list$/d' SHA256SUMS"
                + " && sha256sum volumes/" + VOLUME + ".list >> SHA256SUMS");

        ShippedRun.Result restore = run("volume-restore", "volumes=" + VOLUME, "confirm=" + name);
        assertEquals(ExitCodes.FAILED, restore.code(), restore.describe());
        String err = stderr(restore, "volumes.restore");
        assertTrue(err.contains("volume '" + VOLUME + "' does not match the backup after the restore"), err);
        assertTrue(err.contains("./notes/hello.txt") && err.contains("containers left stopped"), err);
        assertEquals("exited", exec("docker inspect -f '{{.State.Status}}' app").stdout().strip());
    }

    private ShippedRun.Result run(String runbook, String... params) throws Exception {
        List<String> vars = new java.util.ArrayList<>(List.of("backup_root=" + ROOT));
        vars.addAll(List.of(params));
        return ShippedRun.run(tmp.resolve("state-" + System.nanoTime()), runbook, vars, inventory, targets());
    }

    private String stdout(ShippedRun.Result r, String step) {
        return String.valueOf(r.step(host.name(), step).result().get("stdout"));
    }

    private String stderr(ShippedRun.Result r, String step) {
        return String.valueOf(r.step(host.name(), step).result().get("stderr"));
    }

    private HostExec exec(String command) {
        HostExec r = HOSTS.exec(host, command);
        if (!r.ok()) {
            throw new AssertionError("on " + host.name() + ": " + command + "\n" + r.stderr());
        }
        return r;
    }

    private TargetProvider targets() {
        return dev.opsctl.testhost.TestHostTargets.over(host);
    }
}
