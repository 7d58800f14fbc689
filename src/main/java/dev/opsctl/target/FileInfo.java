package dev.opsctl.target;

/** What {@link Target#stat} reports about an existing path (a symlink is followed). */
public record FileInfo(long size, int mode, boolean directory, PosixId owner, PosixId group) {}
