/**
 * The local machine as a {@link dev.opsctl.target.Target}: commands through {@code /bin/sh -c} in
 * their own process group (killed as a whole on timeout or interrupt, through the command's own sudo
 * when it runs as a user opsctl may not signal), files written atomically through NIO, or through
 * sudo'd shell commands when root is needed and opsctl is not root.
 */
package dev.opsctl.target.local;
