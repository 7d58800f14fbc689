package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SshConfigTest {
    private static final SshConfig CONFIG = SshConfig.parse("config", """
            # first match wins, as in OpenSSH
            Host db? !db9
              HostName %h.internal
              User dba
            Host web-* "bastion"
              Port 2200
              ProxyJump ops@bastion:2222,jump2
              IdentityFile ~/.ssh/web
            Host *
              User=everyone
              Port 22
              IdentityFile ~/.ssh/id_ed25519
              ConnectTimeout 3
              ServerAliveInterval 15
              StrictHostKeyChecking accept-new
              UserKnownHostsFile ~/.ssh/known_hosts ~/.ssh/known_hosts.d/fleet
            Match host foo
              User nobody
            """);

    private static final SshOptions OPTIONS = new SshOptions(Path.of("/home/op"), "op", List.of(), false, List.of(), false,
            Optional.empty(), Optional.empty(), Optional.empty(), PasswordSupplier.NONE);

    @Test
    void matchesGlobsNegationAndSeveralPatterns() {
        assertTrue(SshConfig.matches(List.of("db?", "!db9"), "db1"));
        assertFalse(SshConfig.matches(List.of("db?", "!db9"), "db9"));
        assertFalse(SshConfig.matches(List.of("db?"), "db10"));
        assertTrue(SshConfig.matches(List.of("web-*,bastion"), "BASTION"));
    }

    @Test
    void firstObtainedValueWinsAndIdentityFilesAccumulate() {
        var web = CONFIG.resolve("web-1");
        assertEquals(List.of("2200"), web.get("port"));
        assertEquals(List.of("everyone"), web.get("user"));
        assertEquals(List.of("~/.ssh/web", "~/.ssh/id_ed25519"), web.get("identityfile"));
        assertEquals(List.of("dba"), CONFIG.resolve("db1").get("user"));
        assertEquals(List.of("everyone"), CONFIG.resolve("db9").get("user"));
        assertTrue(CONFIG.warnings().get(0).startsWith("config:17: 'Match' blocks are not supported"), CONFIG.warnings().toString());
    }

    @Test
    void settingsCombineInventoryConfigAndOptions() {
        SshSettings s = SshTargets.settings("web-1", "web-1", Optional.empty(), Optional.of("deploy"), Optional.empty(), CONFIG,
                OPTIONS);
        assertEquals("web-1", s.hostName());
        assertEquals(2200, s.port());
        assertEquals("deploy", s.user(), "the inventory's user wins over the config");
        assertEquals(List.of(Path.of("/home/op/.ssh/web"), Path.of("/home/op/.ssh/id_ed25519")), s.identityFiles());
        assertEquals(Duration.ofSeconds(3), s.connectTimeout());
        assertEquals(Duration.ofSeconds(15), s.serverAliveInterval());
        assertTrue(s.acceptNewHostKeys());
        assertEquals(List.of(Path.of("/home/op/.ssh/known_hosts"), Path.of("/home/op/.ssh/known_hosts.d/fleet")),
                s.knownHostsFiles());
        assertEquals(2, s.jumps().size());
        assertEquals("ops@bastion:2222", s.jumps().get(0).endpoint());
        assertEquals("everyone@jump2:22", s.jumps().get(1).endpoint());

        SshSettings db = SshTargets.settings("db1", "db1", Optional.of(2022), Optional.empty(), Optional.empty(), CONFIG, OPTIONS);
        assertEquals("db1.internal", db.hostName());
        assertEquals(2022, db.port());
        assertTrue(db.jumps().isEmpty());
    }

    @Test
    void parsesJumpSpecs() {
        assertEquals(new SshTargets.JumpSpec(Optional.of("u"), "h", Optional.of(2)), SshTargets.JumpSpec.parse("u@h:2"));
        assertEquals(new SshTargets.JumpSpec(Optional.empty(), "::1", Optional.of(22)), SshTargets.JumpSpec.parse("[::1]:22"));
        assertEquals(new SshTargets.JumpSpec(Optional.empty(), "h", Optional.empty()), SshTargets.JumpSpec.parse("ssh://h"));
    }
}
