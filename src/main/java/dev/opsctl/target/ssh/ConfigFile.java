package dev.opsctl.target.ssh;

import java.util.List;

/** One ssh config file as read: its lines that matter, with each Include's files read in its place. */
record ConfigFile(String name, List<ConfigFile.Entry> entries) {
    ConfigFile {
        entries = List.copyOf(entries);
    }

    sealed interface Entry permits Setting, HostLine, Match, Include {}

    /** A keyword opsctl honours and its value (a list of files kept apart by {@link SshConfig#FILE_SEPARATOR}). */
    record Setting(String keyword, String value) implements Entry {}

    record HostLine(String where, List<String> patterns) implements Entry {
        HostLine {
            patterns = List.copyOf(patterns);
        }
    }

    record Match(MatchLine line) implements Entry {}

    /** The files one {@code Include} line named, in the order ssh reads them. */
    record Include(List<ConfigFile> files) implements Entry {
        Include {
            files = List.copyOf(files);
        }
    }
}
