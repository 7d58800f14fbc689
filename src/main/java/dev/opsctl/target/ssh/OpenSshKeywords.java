package dev.opsctl.target.ssh;

import java.util.Set;

/**
 * Every keyword OpenSSH's client knows (readconf.c's table in 9.2, deprecated and unsupported ones
 * included, and those later versions added, {@link #SINCE_9_3}, which a newer system's files may
 * use). ssh stops on any other one unless IgnoreUnknown names it, and so does opsctl: a misspelt
 * HostName would otherwise send the login to the alias itself.
 */
final class OpenSshKeywords {
    static final Set<String> ALL = Set.of(
            "addkeystoagent", "addressfamily", "afstokenpassing", "batchmode", "bindaddress", "bindinterface",
            "canonicaldomains", "canonicalizefallbacklocal", "canonicalizehostname", "canonicalizemaxdots",
            "canonicalizepermittedcnames", "casignaturealgorithms", "certificatefile",
            "challengeresponseauthentication", "checkhostip", "cipher", "ciphers", "clearallforwardings",
            "compression", "compressionlevel", "connectionattempts", "connecttimeout", "controlmaster",
            "controlpath", "controlpersist", "dsaauthentication", "dynamicforward", "enableescapecommandline",
            "enablesshkeysign", "escapechar", "exitonforwardfailure", "fallbacktorsh", "fingerprinthash",
            "forkafterauthentication", "forwardagent", "forwardx11", "forwardx11timeout", "forwardx11trusted",
            "gatewayports", "globalknownhostsfile", "globalknownhostsfile2", "gssapiauthentication",
            "gssapidelegatecredentials", "hashknownhosts", "host", "hostbasedacceptedalgorithms",
            "hostbasedauthentication", "hostbasedkeytypes", "hostkeyalgorithms", "hostkeyalias", "hostname",
            "identitiesonly", "identityagent", "identityfile", "identityfile2", "ignoreunknown", "include",
            "ipqos", "kbdinteractiveauthentication", "kbdinteractivedevices", "keepalive",
            "kerberosauthentication", "kerberostgtpassing", "kexalgorithms", "knownhostscommand",
            "localcommand", "localforward", "loglevel", "logverbose", "macs", "match",
            "nohostauthenticationforlocalhost", "numberofpasswordprompts", "passwordauthentication",
            "permitlocalcommand", "permitremoteopen", "pkcs11provider", "port", "preferredauthentications",
            "protocol", "proxycommand", "proxyjump", "proxyusefdpass", "pubkeyacceptedalgorithms",
            "pubkeyacceptedkeytypes", "pubkeyauthentication", "rekeylimit", "remotecommand", "remoteforward",
            "requesttty", "requiredrsasize", "revokedhostkeys", "rhostsauthentication",
            "rhostsrsaauthentication", "rsaauthentication", "securitykeyprovider", "sendenv",
            "serveralivecountmax", "serveraliveinterval", "sessiontype", "setenv", "skeyauthentication",
            "smartcarddevice", "stdinnull", "streamlocalbindmask", "streamlocalbindunlink",
            "stricthostkeychecking", "syslogfacility", "tcpkeepalive", "tisauthentication", "tunnel",
            "tunneldevice", "updatehostkeys", "useprivilegedport", "user", "userknownhostsfile",
            "userknownhostsfile2", "useroaming", "usersh", "verifyhostkeydns", "visualhostkey", "xauthlocation");

    /** Added after 9.2 (up to 10.x): known, so a newer distribution's files are read. */
    static final Set<String> SINCE_9_3 = Set.of("channeltimeout", "obscurekeystroketiming", "refuseconnection", "tag", "versionaddendum", "warnweakcrypto");

    private OpenSshKeywords() {}

    static boolean known(String keyword) {
        return ALL.contains(keyword) || SINCE_9_3.contains(keyword);
    }
}
