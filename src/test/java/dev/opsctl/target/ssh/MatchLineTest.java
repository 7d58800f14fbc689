package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MatchLineTest {
    private static final SshOptions OPTIONS = new SshOptions(Path.of("/home/op"), "op", List.of(), false, List.of(), false,
            Optional.empty(), Optional.empty(), Optional.empty(), PasswordSupplier.NONE);

    private static SshSettings settings(String host, String config) {
        return SshTargets.settings(host, host, Optional.empty(), Optional.empty(), Optional.empty(),
                SshConfig.parse("cfg", config), OPTIONS);
    }

    @Test
    void aHostWhoseConfigDependsOnMatchExecIsRefusedNamingTheLine() {
        String config = """
                Host *.corp
                  User corp
                Match host *.corp exec "nc -z vpn 22"
                  ProxyJump vpn-bastion
                """;
        SshSettings corp = settings("db.corp", config);
        assertEquals("the ssh config 'cfg' for 'db.corp': cfg:3: 'Match exec nc -z vpn 22' decides by running a command, which"
                + " opsctl does not do; put a criterion before it that rules this host out (Match host ... exec ...), or give"
                + " opsctl a config without it (--ssh-config FILE)", corp.refusal().orElseThrow());
        assertTrue(settings("web1", config).refusal().isEmpty(), "ssh runs no command once 'host *.corp' failed; neither does opsctl");
        assertTrue(settings("web1", "Host db\n  Match exec true\n").refusal().isPresent(),
                "a Match line is checked wherever it stands, for every host");
    }

    @Test
    void aJumpHostWhoseConfigDependsOnMatchExecRefusesTheHostBehindIt() {
        SshSettings s = settings("app", "Host app\n  ProxyJump gw\nMatch originalhost gw exec true\n  User x\n");
        assertTrue(s.refusal().orElseThrow().contains("'Match exec true'"), s.refusal().toString());
    }

    @Test
    void theInventoryUserIsTheUserMatchSeesAsSshLSees() {
        SshConfig c = SshConfig.parse("cfg", "User config-user\nMatch user deploy\n  Port 2200\n");
        assertEquals(List.of("2200"), c.resolve("h", Optional.of("deploy"), "op").get("port"));
        assertEquals(null, c.resolve("h", Optional.empty(), "op").get("port"));
    }

    @Test
    void aMalformedMatchLineIsAnErrorAtItsLineAsSshRefusesItForEveryHost() {
        assertEquals("cfg:2: unsupported Match attribute 'colour'; OpenSSH knows all, canonical, final, host, originalhost,"
                + " user, localuser, exec, tagged, localnetwork, version, sessiontype and command",
                assertThrows(IllegalArgumentException.class, () -> SshConfig.parse("cfg", "User u\nMatch colour red\n")).getMessage());
        assertEquals("cfg:1: Match 'host' needs a value",
                assertThrows(IllegalArgumentException.class, () -> SshConfig.parse("cfg", "Match host\n")).getMessage());
        assertEquals("cfg:1: 'all' cannot be combined with other Match attributes",
                assertThrows(IllegalArgumentException.class, () -> SshConfig.parse("cfg", "Match all host x\n")).getMessage());
        assertEquals("cfg:1: Match needs one or more attributes (Match all applies to every host)",
                assertThrows(IllegalArgumentException.class, () -> SshConfig.parse("cfg", "Match \"\"\n")).getMessage());
        assertEquals("cfg:1: 'Host' needs a value",
                assertThrows(IllegalArgumentException.class, () -> SshConfig.parse("cfg", "Host\n")).getMessage());
    }

    @Test
    void negatedAndAllCriteria() {
        SshConfig c = SshConfig.parse("cfg", "Match !host web*\n  User notweb\nMatch canonical all\n  Port 1\nMatch all\n  Port 2\n");
        assertEquals(List.of("notweb"), c.resolve("db1").get("user"));
        assertEquals(null, c.resolve("web1").get("user"));
        assertEquals(List.of("2"), c.resolve("web1").get("port"), "'canonical' holds only in a final pass, which none asked for");
    }

    @Test
    void aShortNameSshWouldLookUpInDnsUnderCanonicalDomainsIsRefused() {
        String config = "CanonicalizeHostname yes\nCanonicalDomains corp.example\nHost jumped\n  ProxyJump gw.corp.example\n";
        assertTrue(settings("web1", config).refusal().orElseThrow().contains("'CanonicalizeHostname yes' would make ssh look 'web1'"
                + " up in DNS under corp.example and connect to the name it finds, which opsctl does not do; give the host its full"
                + " name (HostName web1.corp.example)"), settings("web1", config).refusal().toString());
        assertTrue(settings("web1.corp.example", config).refusal().isEmpty(), "more dots than CanonicalizeMaxDots: used as given");
        assertTrue(settings("10.0.0.5", config).refusal().isEmpty(), "an address is never looked up");
        assertTrue(settings("jumped", config).refusal().isEmpty(), "'yes' leaves names behind a jump host to the jump host");
        assertTrue(settings("jumped", config.replace("yes", "always")).refusal().isPresent());
    }

    @Test
    void inetAtonAddressFormsAreWrittenAsDottedQuads() {
        assertEquals(Optional.of("127.0.0.1"), NumericHost.ipv4("127.1"));
        assertEquals(Optional.of("127.0.0.1"), NumericHost.ipv4("0x7f.0.0.01"));
        assertEquals(Optional.of("127.0.0.1"), NumericHost.ipv4("2130706433"));
        assertEquals(Optional.of("10.1.0.5"), NumericHost.ipv4("10.1.5"));
        assertEquals(Optional.empty(), NumericHost.ipv4("256.1.1.1"));
        assertEquals(Optional.empty(), NumericHost.ipv4("web1"));
        assertEquals(Optional.empty(), NumericHost.ipv4("1.2.3.4.5"));
        assertEquals(Optional.empty(), NumericHost.ipv4("08.1.1.1"));
        assertEquals("127.0.0.1", settings("127.1", "").hostName(), "as ssh connects to it and looks its key up");
    }

    @Test
    void aNewerSystemsConfigIsReadTaggedIsDecidedAndWhatOpsctlCannotDecideRefusesOnlyTheHostsItDecidesFor() {
        String config = """
                ChannelTimeout session=5m
                Host prod-db*
                  Tag prod
                Match tagged prod
                  ProxyJump prod-bastion.example.com
                Match host lab-* localnetwork 10.0.0.0/8
                  ProxyJump lab-gw.example.com
                Host off
                  RefuseConnection yes
                """;
        SshSettings prod = settings("prod-db1", config);
        assertTrue(prod.refusal().isEmpty(), prod.refusal().toString());
        assertEquals("prod-bastion.example.com", prod.jumps().get(0).hostName());
        assertTrue(settings("lab-1", config).refusal().orElseThrow().contains("'Match localnetwork 10.0.0.0/8' depends on what"
                + " opsctl cannot decide"), settings("lab-1", config).refusal().toString());
        assertTrue(settings("web1", config).refusal().isEmpty(), "'host lab-*' ruled web1 out before localnetwork");
        assertTrue(settings("off", config).refusal().orElseThrow().contains("'RefuseConnection yes'"));
    }
}
