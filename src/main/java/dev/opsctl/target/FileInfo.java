package dev.opsctl.target;

/** What {@link Target#stat} reports about an existing path. */
public record FileInfo(long size, int mode, boolean directory) {}
