package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshConfigTest {
    private static final SshConfig CONFIG = SshConfig.parse("config", """
            # first match wins, as in OpenSSH
            Host db? !db9
              HostName %h.internal
              User dba
            Host web-* "bastion"
              Port 2200
              IdentityFile ~/.ssh/web
            Host web-*
              ProxyJump ops@bastion:2222,jump2
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
    void hostLinesMatchTheNameAsGivenEachWordOnePatternAsOpenSshDoes() {
        SshConfig c = SshConfig.parse("c", """
                Host web1,web2
                  User listed
                Host FOO
                  User upper
                Host *
                  User everyone
                """);
        // ssh -G: 'Host web1,web2' does not apply to web1; 'Host FOO' applies to FOO and not to foo
        assertEquals(List.of("everyone"), c.resolve("web1").get("user"));
        assertEquals(List.of("upper"), c.resolve("FOO").get("user"));
        assertEquals(List.of("everyone"), c.resolve("foo").get("user"));
        assertTrue(SshConfig.hostMatches(List.of("db?", "!db9"), "db1"));
        assertFalse(SshConfig.hostMatches(List.of("db?", "!db9"), "db9"));
    }

    @Test
    void keywordAndValueMaySurroundOneEqualsSignWithSpaces() {
        SshConfig c = SshConfig.parse("c", """
                Host a
                  Port = 2222
                  User =deploy
                  HostName= 10.0.0.5
                  ConnectTimeout=5
                  IdentityFile = "/keys/with space"
                """);
        SshSettings s = SshTargets.settings("a", "a", Optional.empty(), Optional.empty(), Optional.empty(), c, OPTIONS);
        assertEquals(2222, s.port());
        assertEquals("deploy", s.user());
        assertEquals("10.0.0.5", s.hostName());
        assertEquals(Duration.ofSeconds(5), s.connectTimeout());
        assertEquals(List.of(Path.of("/keys/with space")), s.identityFiles());
        assertEquals(List.of("Port", "2222"), SshConfig.words("Port = 2222"));
        assertEquals(List.of("SetEnv", "A=1"), SshConfig.words("SetEnv = A=1"));
    }

    @Test
    void ignoredKeywordsThatChangeTrustOrRouteAreWarningsWithTheirLine() {
        SshConfig c = SshConfig.parse("cfg", """
                Host *
                  ForwardAgent yes
                  ControlMaster auto
                  CertificateFile ~/.ssh/id_ed25519-cert.pub
                  KexAlgorithms curve25519-sha256
                """);
        assertEquals(2, c.warnings().size(), c.warnings().toString());
        assertEquals("cfg:4: 'CertificateFile' is not supported by opsctl and is ignored: client certificates are not offered;"
                + " a server that requires one refuses the login", c.warnings().get(0));
        assertTrue(c.warnings().get(1).startsWith("cfg:5: 'KexAlgorithms' is not supported"), c.warnings().get(1));
    }

    @Test
    void theFirstOfProxyCommandAndProxyJumpObtainedWinsOverTheOther() {
        SshConfig c = SshConfig.parse("c", """
                Host x
                  ProxyCommand nc %h %p
                Host y
                  ProxyJump b1
                Host *
                  ProxyJump b2
                  ProxyCommand ssh -W %h:%p b3
                """);
        assertEquals(List.of("nc %h %p"), c.resolve("x").get("proxycommand"));
        assertFalse(c.resolve("x").containsKey("proxyjump"));
        assertEquals(List.of("b1"), c.resolve("y").get("proxyjump"));
        assertFalse(c.resolve("y").containsKey("proxycommand"));
        assertFalse(c.resolve("z").containsKey("proxycommand"));
    }

    @Test
    void aNamedConfigFileMustExistAndTheDefaultOneMayBeMissing(@TempDir Path home) throws Exception {
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> SshConfig.named(Optional.of(home.resolve("typo.conf")), home));
        assertEquals("'" + home.resolve("typo.conf") + "' does not exist", SshConfig.describe(e));
        Path noSystemFile = home.resolve("etc/ssh_config");
        assertTrue(SshConfig.standard(Optional.empty(), home, noSystemFile).resolve("h").isEmpty());
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/config"), "Host h\n  User u\n");
        assertEquals(List.of("u"), SshConfig.standard(Optional.empty(), home, noSystemFile).resolve("h").get("user"));
    }

    @Test
    void firstObtainedValueWinsAndIdentityFilesAccumulate() {
        var web = CONFIG.resolve("web-1");
        assertEquals(List.of("2200"), web.get("port"));
        assertEquals(List.of("everyone"), web.get("user"));
        assertEquals(List.of("~/.ssh/web", "~/.ssh/id_ed25519"), web.get("identityfile"));
        assertEquals(List.of("dba"), CONFIG.resolve("db1").get("user"));
        assertEquals(List.of("everyone"), CONFIG.resolve("db9").get("user"));
        assertEquals(List.of("everyone"), CONFIG.resolve("foo").get("user"), "a Match after Host * obtains nothing already set");
        assertEquals(List.of(), CONFIG.warnings());
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

    private static SshSettings settings(String host, String config) {
        return SshTargets.settings(host, host, Optional.empty(), Optional.empty(), Optional.empty(), SshConfig.parse("cfg", config),
                OPTIONS);
    }

    @Test
    void connectTimeoutZeroIsNoLimitAsInOpenSsh() {
        assertEquals(SshSettings.NO_CONNECT_TIMEOUT, settings("h", "ConnectTimeout 0\n").connectTimeout());
        assertEquals(SshSettings.DEFAULT_CONNECT_TIMEOUT, settings("h", "").connectTimeout());
    }

    @Test
    void tokensExpandWithTheHostNameAfterHostNameAndTheNameAsGiven() {
        SshSettings s = settings("foo", """
                Host foo
                  HostName %h.example.com
                  Port 2200
                  User deploy
                  IdentityFile ~/.ssh/%n-%r
                  UserKnownHostsFile ~/.ssh/kh-%h-%p %d/.ssh/kh-%%
                """);
        assertEquals("foo.example.com", s.hostName());
        assertEquals(List.of(Path.of("/home/op/.ssh/foo-deploy")), s.identityFiles());
        assertEquals(List.of(Path.of("/home/op/.ssh/kh-foo.example.com-2200"), Path.of("/home/op/.ssh/kh-%")), s.knownHostsFiles());
        assertTrue(s.refusal().isEmpty());

        SshSettings unknown = settings("foo", "IdentityFile ~/.ssh/%z\n");
        assertEquals("the ssh config 'cfg' for 'foo': IdentityFile '~/.ssh/%z' has the token '%z', which opsctl does not know",
                unknown.refusal().orElseThrow());
        assertTrue(settings("foo", "UserKnownHostsFile ${HOME}/kh\n").refusal().orElseThrow().contains("environment variable"));
    }

    @Test
    void aHostReachedWithProxyCommandIsRefusedNotConnectedToDirectly() {
        SshSettings x = settings("x", """
                Host x
                  ProxyCommand nc %h %p
                Host *
                  ProxyJump b
                """);
        assertTrue(x.refusal().orElseThrow().startsWith("the ssh config 'cfg' for 'x': it is reached with 'ProxyCommand nc %h %p',"
                + " which opsctl does not run; write it as ProxyJump"), x.refusal().orElseThrow());
        assertTrue(settings("x", "Host x\n  ProxyCommand none\nHost *\n  ProxyJump b\n").refusal().isEmpty());

        // ProxyJump a,b runs 'ssh -J a -W %h:%p b': a's own route counts, b's does not
        String hops = """
                Host t
                  ProxyJump a,b
                Host a
                  ProxyCommand nc %h %p
                Host b
                  ProxyCommand nc %h %p
                """;
        SshSettings t = settings("t", hops);
        assertTrue(t.refusal().isEmpty());
        assertTrue(t.jumps().get(0).refusal().isPresent(), "the first hop's ProxyCommand");
        assertTrue(t.jumps().get(1).refusal().isEmpty(), "a later hop's ProxyCommand is overridden by -J");
    }

    @Test
    void aJumpHostsOwnProxyJumpComesBeforeItAsInOpenSsh() {
        SshSettings t = settings("target", """
                Host target
                  ProxyJump bastion,inner
                Host bastion
                  ProxyJump outer
                Host inner
                  ProxyJump ignored
                """);
        assertEquals(List.of("outer", "bastion", "inner"), t.jumps().stream().map(SshSettings::hostName).toList());

        SshSettings loop = settings("a", "Host a\n  ProxyJump b\nHost b\n  ProxyJump a\n");
        assertTrue(loop.refusal().orElseThrow().contains("ProxyJump chain is longer than 16 hops"), loop.refusal().orElseThrow());
    }

    @Test
    void knownHostsFilesNoneGlobalFilesAndHostKeyAlias() {
        SshSettings plain = settings("h", "");
        assertEquals(HostKeys.SYSTEM_FILES, plain.hostKeys().globalFiles());
        assertTrue(plain.hostKeys().alias().isEmpty());
        SshSettings s = settings("h", """
                UserKnownHostsFile none
                GlobalKnownHostsFile /etc/fleet/known_hosts
                HostKeyAlias db-primary
                """);
        assertEquals(List.of(), s.knownHostsFiles());
        assertEquals(List.of(Path.of("/etc/fleet/known_hosts")), s.hostKeys().globalFiles());
        assertEquals(Optional.of("db-primary"), s.hostKeys().alias());
    }

    @Test
    void identitiesOnlyKeepsTheAgentForTheConfiguredKeys() {
        SshOptions withAgent = OPTIONS.withIdentities(List.of(), true, Optional.of(Path.of("/run/agent.sock")));
        SshSettings s = SshTargets.settings("h", "h", Optional.empty(), Optional.empty(), Optional.empty(),
                SshConfig.parse("cfg", "IdentitiesOnly yes\nIdentityFile ~/.ssh/token.pub\n"), withAgent);
        assertTrue(s.useAgent());
        assertTrue(s.identitiesOnly());
    }

    @Test
    void identityFileNoneStopsTheDefaultKeysAsInOpenSsh(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/id_ed25519"), "key");
        SshOptions o = new SshOptions(home, "op", List.of(), false, List.of(), false, Optional.empty(), Optional.empty(),
                Optional.empty(), PasswordSupplier.NONE);
        SshSettings none = SshTargets.settings("h", "h", Optional.empty(), Optional.empty(), Optional.empty(),
                SshConfig.parse("cfg", "IdentityFile none\n"), o);
        assertEquals(List.of(), none.identityFiles());
        SshSettings defaults = SshTargets.settings("h", "h", Optional.empty(), Optional.empty(), Optional.empty(), SshConfig.empty(), o);
        assertEquals(List.of(home.resolve(".ssh/id_ed25519")), defaults.identityFiles());
    }

    @Test
    void theDefaultKeysAreTriedInSshsOrder(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve(".ssh"));
        for (String key : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
            Files.writeString(home.resolve(".ssh").resolve(key), "key");
        }
        SshOptions o = new SshOptions(home, "op", List.of(), false, List.of(), false, Optional.empty(), Optional.empty(),
                Optional.empty(), PasswordSupplier.NONE);
        // ssh -G: identityfile ~/.ssh/id_rsa, ~/.ssh/id_ecdsa, ~/.ssh/id_ecdsa_sk, ~/.ssh/id_ed25519, ...
        assertEquals(List.of(home.resolve(".ssh/id_rsa"), home.resolve(".ssh/id_ecdsa"), home.resolve(".ssh/id_ed25519")),
                SshTargets.settings("h", "h", Optional.empty(), Optional.empty(), Optional.empty(), SshConfig.empty(), o).identityFiles());
    }

    @Test
    void argumentsAreSplitAsOpenSshSplitsThem() {
        assertEquals(List.of("IdentityFile", "/tmp/my key"), SshConfig.words("IdentityFile '/tmp/my key'"));
        assertEquals(List.of("IdentityFile", "/tmp/a b"), SshConfig.words("IdentityFile /tmp/a\\ b"));
        assertEquals(List.of("IdentityFile", "/tmp/a#b"), SshConfig.words("IdentityFile /tmp/a#b # a comment"));
        assertEquals(List.of("User", "it's"), SshConfig.words("User \"it's\""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SshConfig.parse("cfg", "Host x\n  IdentityFile \"/tmp/x\n"));
        assertEquals("cfg:2: unterminated quote (\") in 'IdentityFile \"/tmp/x'", e.getMessage());
        SshSettings s = settings("h", "UserKnownHostsFile \"~/my hosts/kh\" ~/.ssh/kh2\n");
        assertEquals(List.of(Path.of("/home/op/my hosts/kh"), Path.of("/home/op/.ssh/kh2")), s.knownHostsFiles());
    }

    @Test
    void tokensFollowOpenSshForTheJumpHostTheHostNamesCaseAndHostNameItself() {
        SshSettings s = settings("Web1", "ProxyJump ops@b1:2222,b2\nIdentityFile ~/.ssh/%h-%j\n");
        assertEquals(List.of(Path.of("/home/op/.ssh/web1-b2")), s.identityFiles());
        assertTrue(settings("h", "HostName %h.example:%p\n").refusal().orElseThrow()
                .contains("HostName '%h.example:%p' may hold only the tokens '%h' and '%%'"));
    }

    @Test
    void checkHostIpYesIsAWarningAndNoIsWhatOpsctlDoes() {
        assertEquals(List.of("c:1: 'CheckHostIP' is not supported by opsctl and is ignored: host keys are not looked up under"
                + " the host's address as well"), SshConfig.parse("c", "CheckHostIP yes\n").warnings());
        assertEquals(List.of(), SshConfig.parse("c", "CheckHostIP no\n").warnings());
    }

    @Test
    void revokedHostKeysRefusesTheHostAndPubkeyAuthenticationNoIsAWarning() {
        assertTrue(settings("h", "RevokedHostKeys /etc/ssh/revoked\n").refusal().orElseThrow()
                .contains("'RevokedHostKeys /etc/ssh/revoked' is not supported by opsctl"));
        assertTrue(settings("h", "RevokedHostKeys none\n").refusal().isEmpty());
        assertTrue(SshConfig.parse("c", "PubkeyAuthentication no\n").warnings().get(0).startsWith("c:1: 'PubkeyAuthentication'"));
    }

    @Test
    void parsesJumpSpecs() {
        assertEquals(new SshTargets.JumpSpec(Optional.of("u"), "h", Optional.of(2)), SshTargets.JumpSpec.parse("u@h:2"));
        assertEquals(new SshTargets.JumpSpec(Optional.empty(), "::1", Optional.of(22)), SshTargets.JumpSpec.parse("[::1]:22"));
        assertEquals(new SshTargets.JumpSpec(Optional.empty(), "h", Optional.empty()), SshTargets.JumpSpec.parse("ssh://h"));
    }

    @Test
    void theUserOfAnSshUriJumpIsReadAsParseUriReadsIt() {
        // ssh -G: 'proxyjump a@h', and ssh logs in to the jump host as a
        assertEquals("a", settings("x", "Host x\n  ProxyJump ssh://a;x@h\n").jumps().get(0).user());
        assertEquals(new SshTargets.JumpSpec(Optional.of("a"), "h", Optional.of(2)), SshTargets.JumpSpec.parse("ssh://a;fp=1@h:2"));
        assertEquals(Optional.of("aA b;@"), SshTargets.JumpSpec.parse("ssh://a%41+b%3b%40;x@h").user());
        assertEquals(Optional.of("é"), SshTargets.JumpSpec.parse("ssh://%C3%A9@h").user());
        for (String jump : List.of("ssh://;x@h", "ssh://a%zz@h", "ssh://a%4@h", "ssh://a%00b@h", "ssh://a%٣1@h", "ssh://a@b@h")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SshConfig.parse("cfg", "ProxyJump " + jump + "\n"), jump);
            assertTrue(e.getMessage().startsWith("cfg:1: 'ProxyJump " + jump + "' has the hop '"), e.getMessage());
        }
    }

    @Test
    void jumpHostsSshAcceptsAreAccepted() {
        // ssh -G: h_x, h:22, h, h:2200 (valid_domain allows '_' and drops a last '.'; an empty path is no path)
        assertEquals(List.of("op@h_x:22", "op@h:22", "op@h:22", "u@h:2200"), settings("x", "Host x\n  ProxyJump"
                + " ssh://h_x,ssh://h:22/,ssh://[h.]/,ssh://u@h.:2200/\n").jumps().stream().map(SshSettings::endpoint).toList());
        for (String jump : List.of("ssh://-h", "ssh://_h", "ssh://h//", "ssh://h:/", "ssh://h:22/x", "ssh://h..")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SshConfig.parse("cfg", "ProxyJump " + jump + "\n"), jump);
            assertTrue(e.getMessage().contains("ssh stops on it too ('Invalid ProxyJump')"), e.getMessage());
        }
        // ssh looks a port name up in /etc/services (h:ssh is h:22); opsctl does not, and says so
        for (String jump : List.of("h:ssh", "ssh://u@h:ssh/")) {
            assertEquals("cfg:1: 'ProxyJump " + jump + "' has the hop '" + jump + "', whose port 'ssh' is not a number; ssh would"
                    + " look it up as a service name, which opsctl does not: write a number from 1 to 65535",
                    assertThrows(IllegalArgumentException.class, () -> SshConfig.parse("cfg", "ProxyJump " + jump + "\n"))
                            .getMessage());
        }
    }

    @Test
    void numbersAreAsciiDigitsAndCSpacesAsStrtolReadsThem() {
        // ssh -G: 'invalid time value' and 'Bad port' for each
        for (String line : List.of("ConnectTimeout \u0663", "ServerAliveInterval 1\u0660", "ConnectTimeout 5m\u0663",
                "ConnectTimeout \"\u20035\"", "ConnectTimeout \"\u001c5\"", "Port \u0662\u0662", "Port \"\u200322\"",
                "Port \"\u001c22\"")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SshConfig.parse("cfg", line + "\n"), line);
            assertTrue(e.getMessage().contains("ssh stops on it too"), e.getMessage());
        }
        assertEquals(Duration.ofSeconds(5), settings("h", "ConnectTimeout \"\u000b5\"\n").connectTimeout());
        assertEquals(22, settings("h", "Port \"\t22\"\n").port());
    }

    @Test
    void aValueSshStopsOnStopsTheConfigAtItsLine() {
        for (String line : List.of("HostName a b", "User \"\"", "Port 22x", "Port 0", "Port 65536", "ConnectTimeout 250ms",
                "ConnectTimeout -1", "ServerAliveInterval abc", "IdentitiesOnly maybe", "StrictHostKeyChecking sometimes",
                "UserKnownHostsFile none ~/.ssh/kh", "HostKeyAlias two words", "IdentityFile /keys/a /keys/b",
                "ServerAliveCountMax -1", "ServerAliveCountMax 3x", "ServerAliveCountMax 1 2")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SshConfig.parse("cfg", "Host other\n  " + line + "\n"), line);
            assertTrue(e.getMessage().startsWith("cfg:2: '"), e.getMessage());
            assertTrue(e.getMessage().contains("ssh stops on it too"), e.getMessage());
        }
        assertEquals("cfg:1: 'Port 22x' is not a port number; ssh stops on it too ('Bad port'): write a number from 1 to 65535",
                assertThrows(IllegalArgumentException.class, () -> SshConfig.parse("cfg", "Port 22x\n")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SshConfig.parse("cfg", "Port http\n")).getMessage()
                .contains("ssh would look it up as a service name, which opsctl does not"));
    }

    @Test
    void valuesAreReadAsSshReadsThem() {
        SshSettings s = settings("h", """
                Port +2200
                ConnectTimeout 1w
                ServerAliveInterval 1m30S
                IdentitiesOnly TRUE
                HashKnownHosts true
                """);
        assertEquals(2200, s.port());
        assertEquals(Duration.ofDays(7), s.connectTimeout());
        assertEquals(Duration.ofSeconds(90), s.serverAliveInterval());
        assertTrue(s.identitiesOnly());
        assertTrue(s.hostKeys().hashRecorded());
    }


    @Test
    void proxyJumpAndProxyCommandAreReadAsSshReadsThem() {
        for (String jump : List.of("jump1, jump2", "u@jh:abc", "jump:0", "::1", "@h", "h/x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SshConfig.parse("cfg", "ProxyJump " + jump + "\n"), jump);
            assertTrue(e.getMessage().startsWith("cfg:1: 'ProxyJump " + jump + "' has the hop '"), e.getMessage());
        }
        SshSettings firstWord = settings("h", "Host h\n  ProxyJump jump1 jump2\n");
        assertEquals(List.of("jump1"), firstWord.jumps().stream().map(SshSettings::hostName).toList());
        // ssh runs 'none # comment' as a command, which fails: opsctl must not go direct
        assertTrue(settings("h", "ProxyCommand none # comment\n").refusal().orElseThrow()
                .contains("it is reached with 'ProxyCommand none # comment'"));
        assertTrue(settings("h", "ProxyCommand none\n").refusal().isEmpty());
    }


    @Test
    void serverAliveCountMaxIsTheOperatorsFirstValueElseOpenSshsDefault() {
        assertEquals(5, settings("h", "Host h\n  ServerAliveCountMax 5\nHost *\n  ServerAliveCountMax 9\n").serverAliveCountMax());
        assertEquals(0, settings("h", "ServerAliveCountMax 0\n").serverAliveCountMax());
        assertEquals(SshSettings.DEFAULT_SERVER_ALIVE_COUNT_MAX, settings("h", "ServerAliveInterval 5\n").serverAliveCountMax());
    }

    @Test
    void aTimeoutOfNoneIsUnsetSoALaterLineSetsIt() {
        SshSettings s = settings("h", "ConnectTimeout none\nServerAliveInterval none\nHost h\n  ConnectTimeout 5\n  ServerAliveInterval 7\n");
        assertEquals(Duration.ofSeconds(5), s.connectTimeout());
        assertEquals(Duration.ofSeconds(7), s.serverAliveInterval());
        assertEquals(SshSettings.DEFAULT_CONNECT_TIMEOUT, settings("h", "ConnectTimeout none\n").connectTimeout());
    }


    @Test
    void anEmptyHostPatternStopsSshWhereItIsReached() {
        assertEquals("cfg:1: 'Host' has an empty pattern (\"\"); ssh stops on it too ('empty argument'): remove it",
                assertThrows(IllegalArgumentException.class, () -> SshConfig.parse("cfg", "Host \"\" web\n")).getMessage());
        // ssh reads no further than a negated pattern that matches
        String config = "Host !web2 \"\"\n  User x\n";
        assertTrue(settings("web2", config).refusal().isEmpty());
        assertTrue(settings("web1", config).refusal().orElseThrow().contains("cfg:1: 'Host' has an empty pattern"));
    }


    @Test
    void anAddressKeepsTheCaseItIsWrittenInAsSshKeepsIt() {
        SshSettings v6 = settings("2001:DB8::7", "UserKnownHostsFile /kh/%h\n");
        assertEquals("2001:DB8::7", v6.hostName(), "ssh rewrites an address only if it differs in more than case");
        assertEquals(List.of(Path.of("/kh/2001:DB8::7")), v6.knownHostsFiles());
        assertEquals("2001:db8::1", settings("h", "HostName 2001:DB8:0::1\n").hostName());
        // ssh takes a name with a '%' for an address (is_addr_fast) and does not lower-case it
        assertEquals(List.of(Path.of("/kh/WEB1%x")), settings("WEB1", "HostName %h%%x\nUserKnownHostsFile /kh/%h\n").knownHostsFiles());
    }


    @Test
    void knownHostsFilesAndTheAliasAreThoseSshUses() {
        assertEquals(List.of(Path.of("/home/op/.ssh/known_hosts"), Path.of("/home/op/.ssh/known_hosts2")),
                settings("h", "").knownHostsFiles());
        assertEquals(List.of(Path.of("/g/%h"), Path.of("/home/op/g")),
                settings("h", "GlobalKnownHostsFile /g/%h ~/g\n").hostKeys().globalFiles(), "no %-token in the system's files");
        assertEquals(Optional.of("none"), settings("h", "HostKeyAlias none\n").hostKeys().alias(), "ssh has no 'none' here");
    }


    @Test
    void matchAllMayBeFollowedByAComment() {
        assertEquals("x", settings("h", "Match all # every host\n  User x\n").user());
        assertEquals("y", settings("h.example.com", "Match host *.example.com all # as ssh, which counts one attribute\n  User y\n").user());
        assertThrows(IllegalArgumentException.class, () -> SshConfig.parse("cfg", "Match all host x\n"));
    }
}
