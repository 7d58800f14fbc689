package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The options opsctl resolves from Include, Host and Match lines are the ones {@code ssh -G} prints
 * for the same files, host and user (the OpenSSH client installed here, 9.2 on Debian 12).
 */
class SshConfigAgainstOpenSshTest {
    private static final String LOCAL_USER = System.getProperty("user.name");

    @TempDir
    static Path dir;

    @BeforeAll
    static void sshIsInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh")), "OpenSSH's client is not installed");
    }

    @Test
    void includesInAndOutOfHostBlocks() throws Exception {
        Path web = write("web.conf", """
                Host web*
                  User webuser
                  ProxyJump bastion
                Host *
                  Port 2201
                """);
        Path db = write("db.conf", "HostName %h.db.internal\nHost db2\n  User dbtwo\n");
        Path cfg = write("includes.conf", """
                Include %s
                Host db*
                  Include %s
                  IdentityFile /keys/db
                Host *
                  IdentityFile /keys/all
                  User everyone
                """.formatted(web, db));
        for (String host : List.of("web1", "db1", "db2", "other", "WEB1")) {
            assertSameAsSsh(cfg, host, Optional.empty());
        }
    }

    @Test
    void matchLinesSeeTheHostNameUserAndOriginalNameObtainedSoFar() throws Exception {
        Path cfg = write("match.conf", """
                Host short*
                  HostName %%h.Example.COM
                Match host *.example.com !originalhost short2
                  Port 2202
                Match originalhost short2,other
                  User orig
                Match user deploy
                  IdentityFile /keys/deploy
                Match localuser %s
                  ProxyJump jump-for-me
                Match !localuser %s
                  ProxyJump not-me
                Match host SHORT1.EXAMPLE.COM user deploy
                  ServerAliveInterval 7
                  ServerAliveCountMax 5
                Match all
                  User fallback
                  IdentityFile /keys/all
                """.formatted(LOCAL_USER, LOCAL_USER));
        for (String host : List.of("short1", "short2", "other", "plain")) {
            assertSameAsSsh(cfg, host, Optional.empty());
            assertSameAsSsh(cfg, host, Optional.of("deploy"));
        }
    }

    @Test
    void matchFinalMakesASecondPassWithTheHostName() throws Exception {
        Path cfg = write("final.conf", """
                Host app
                  HostName App.Internal
                Host app.internal
                  Port 2203
                Match final host app.internal
                  User finaluser
                Match canonical
                  IdentityFile /keys/canonical
                Match !final
                  IdentityFile /keys/first-pass
                Host *
                  ProxyJump last
                """);
        for (String host : List.of("app", "app.internal", "x")) {
            assertSameAsSsh(cfg, host, Optional.empty());
        }
    }

    @Test
    void matchLinesAreSplitAsSshSplitsThemNotAsOtherLines() throws Exception {
        Path cfg = write("split.conf", """
                Match host 'web*'
                  HostName single-quoted.example
                Match host="db*"
                  Port 2204
                Match originalhost "app1,app2" user=deploy
                  User quoted-list
                Match host app* # a comment
                  IdentityFile /keys/app
                Host *
                  HostName %h.plain.example
                """);
        for (String host : List.of("web1", "db1", "app1", "app2", "x")) {
            assertSameAsSsh(cfg, host, Optional.empty());
            assertSameAsSsh(cfg, host, Optional.of("deploy"));
        }
    }

    @Test
    void canonicalizeHostnameWithoutDomainsMakesTheFinalPassAlone() throws Exception {
        Path cfg = write("canonical.conf", """
                CanonicalizeHostname yes
                Host app
                  HostName App.Internal
                Host app.internal
                  Port 2203
                  ProxyJump bastion
                  User deploy
                """);
        assertSameAsSsh(cfg, "app", Optional.empty());
    }

    @Test
    void aKeyNamedAgainInTheFinalPassIsOfferedOnce() throws Exception {
        Path cfg = write("keys-twice.conf", """
                Host db1
                  IdentityFile /keys/work
                  IdentityFile /keys/work
                Match final all
                  User finaluser
                Host *
                  IdentityFile /keys/old
                """);
        assertSameAsSsh(cfg, "db1", Optional.empty());
        assertSameAsSsh(cfg, "other", Optional.empty());
    }

    @Test
    void includeGlobsNegateWithAnExclamationMarkOnly() throws Exception {
        Files.createDirectories(dir.resolve("gl"));
        write("gl/a.conf", "User from_a\n");
        write("gl/b.conf", "User from_b\n");
        assertSameAsSsh(write("caret.conf", "Include " + dir.resolve("gl") + "/[^a].conf\n"), "h", Optional.empty());
        assertSameAsSsh(write("bang.conf", "Include " + dir.resolve("gl") + "/[!a].conf\n"), "h", Optional.empty());
    }

    @Test
    void anAddressIsWrittenAsSshWritesItBeforeTheFinalPass() throws Exception {
        Path cfg = write("address.conf", """
                Host short
                  HostName 127.1
                Match final host 127.0.0.1
                  User final127
                Host 127.0.0.1
                  Port 2222
                """);
        assertSameAsSsh(cfg, "short", Optional.empty());
        Path v6 = write("ipv6.conf", """
                Host v6
                  HostName 2001:DB8:0:0::1
                Host loop
                  HostName 0:0:0:0:0:0:0:1
                Host mapped
                  HostName ::FFFF:1.2.3.4
                Host two-runs
                  HostName 1:0:0:2:0:0:0:3
                """);
        for (String host : List.of("v6", "loop", "mapped", "two-runs")) {
            assertSameAsSsh(v6, host, Optional.empty());
        }
    }

    private static Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static void assertSameAsSsh(Path cfg, String host, Optional<String> user) throws Exception {
        Map<String, List<String>> ssh = sshG(cfg, host, user);
        SshConfig config = SshConfig.standard(Optional.of(cfg), dir, dir.resolve("no-system-file"));
        Map<String, List<String>> ours = config.resolve(host, user, LOCAL_USER);
        String what = cfg.getFileName() + " for " + host + user.map(u -> " as " + u).orElse("");
        SshSettings settings = SshTargets.settings(host, host, Optional.empty(), user, Optional.empty(), config,
                new SshOptions(dir, LOCAL_USER, List.of(), false, List.of(), false, Optional.empty(), Optional.empty(),
                        Optional.empty(), PasswordSupplier.NONE));
        String hostName = NumericHost.isAddress(settings.hostName()) ? settings.hostName()
                : settings.hostName().toLowerCase(Locale.ROOT); // ssh -G prints a name lower-cased; opsctl resolves it as given
        assertEquals(ssh.get("hostname"), List.of(hostName), what + ": hostname");
        assertEquals(ssh.get("port"), List.of(String.valueOf(settings.port())), what + ": port, as connected to");
        assertEquals(ssh.get("user"), List.of(settings.user()), what + ": user, as logged in");
        assertEquals(ssh.get("user"), List.of(user.or(() -> first(ours, "user")).orElse(LOCAL_USER)), what + ": user");
        assertEquals(ssh.get("port"), List.of(first(ours, "port").orElse("22")), what + ": port");
        assertEquals(ssh.get("proxyjump"), ours.get("proxyjump"), what + ": proxyjump");
        assertEquals(ssh.get("serveraliveinterval"), List.of(first(ours, "serveraliveinterval").orElse("0")),
                what + ": serveraliveinterval");
        assertEquals(ssh.get("serveralivecountmax"), List.of(String.valueOf(settings.serverAliveCountMax())),
                what + ": serveralivecountmax");
        if (ours.containsKey("identityfile")) {
            assertEquals(ssh.get("identityfile"), ours.get("identityfile"), what + ": identityfile");
        } else {
            assertTrue(ssh.get("identityfile").stream().allMatch(f -> f.startsWith("~/.ssh/id_")),
                    what + ": ssh names keys opsctl does not: " + ssh.get("identityfile"));
        }
    }

    private static Optional<String> first(Map<String, List<String>> m, String key) {
        return Optional.ofNullable(m.get(key)).map(v -> v.get(0));
    }

    private static Map<String, List<String>> sshG(Path cfg, String host, Optional<String> user) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ssh", "-G", "-F", cfg.toString()));
        user.ifPresent(u -> cmd.addAll(List.of("-l", u)));
        cmd.add(host);
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "ssh -G " + cmd);
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0) {
                m.computeIfAbsent(line.substring(0, sp), k -> new ArrayList<>()).add(line.substring(sp + 1));
            }
        }
        return m;
    }
}
