package dev.opsctl.target.ssh;

import java.nio.file.Path;

/**
 * What the known_hosts files say of one key under one name, as OpenSSH's check_key_in_hostkeys
 * tells it; {@code file} and {@code line} are the line that decided, if one did.
 */
record KnownHostsMatch(Status status, Path file, KnownHostsFiles.Line line) {
    enum Status {
        /** A plain line holds the plain key, or a {@code @cert-authority} line the certificate's CA. */
        OK,
        /** No line speaks for keys of this kind (plain, or certificates) under the name. */
        NEW,
        /** Lines speak for the name, none with this key (or CA): the line is the first of them. */
        CHANGED,
        /** A {@code @revoked} line holds the key, or the certificate's own key. */
        REVOKED,
        /** A {@code @revoked} line holds the certificate's CA. */
        REVOKED_CA
    }

    static final KnownHostsMatch NEW = new KnownHostsMatch(Status.NEW, null, null);

    boolean is(Status s) {
        return status == s;
    }

    /** {@code file:line}, as messages show where a line is. */
    String where() {
        return file + ":" + line.number();
    }
}
