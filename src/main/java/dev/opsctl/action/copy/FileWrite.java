package dev.opsctl.action.copy;

import dev.opsctl.action.StepContext;
import dev.opsctl.action.StepResult;
import dev.opsctl.target.FileAttrs;
import dev.opsctl.target.FileInfo;
import dev.opsctl.target.Sudo;
import dev.opsctl.target.Target;
import dev.opsctl.target.TargetException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Puts content at a destination idempotently: nothing is written when the file already has that
 * content, mode, owner and group; when only the mode, owner or group differ the same content is
 * written again with them, without a backup; otherwise the old file is first backed up if asked
 * (never over an earlier backup), then replaced. Every write goes through {@link Target#put}.
 */
public final class FileWrite {
    private static final DateTimeFormatter BACKUP_STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private FileWrite() {}

    public static StepResult write(byte[] content, String dest, CopySpec spec, StepContext ctx)
            throws TargetException, InterruptedException {
        Target target = ctx.target();
        Sudo sudo = ctx.sudo();
        String checksum = sha256(content);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dest", dest);
        data.put("checksum", checksum);
        data.put("size", (long) content.length);
        data.put("backup", "");
        Optional<FileInfo> old = target.stat(dest, sudo);
        if (old.isPresent() && old.get().directory()) {
            return StepResult.failed("'" + dest + "' is a directory", data);
        }
        byte[] previous = old.isPresent() ? target.get(dest, sudo) : new byte[0];
        if (old.isPresent() && sha256(previous).equals(checksum)) {
            return setAttrs(content, dest, spec, AttrsDiff.of(old.get(), spec), ctx, data);
        }
        if (old.isPresent() && spec.backup()) {
            String backup = freeBackupPath(dest, ctx);
            target.put(backup, previous, new FileAttrs(Optional.of(old.get().mode()), Optional.empty(), Optional.empty(), sudo));
            data.put("backup", backup);
        }
        target.put(dest, content, new FileAttrs(spec.mode(), spec.owner(), spec.group(), sudo));
        return StepResult.changed("wrote '" + dest + "' (" + content.length + " bytes, sha256 " + checksum.substring(0, 12) + ")", data);
    }

    /**
     * Same content: only the mode, owner or group can differ. They are not set in place: a chown or
     * chmod by path follows a symlink that a user who can write in the directory may swap in
     * between the read and the change. The write replaces the name instead, as any write does.
     */
    private static StepResult setAttrs(byte[] content, String dest, CopySpec spec, AttrsDiff diff, StepContext ctx,
            Map<String, Object> data) throws TargetException, InterruptedException {
        if (diff.none()) {
            return StepResult.ok("'" + dest + "' is up to date", data);
        }
        ctx.target().put(dest, content, new FileAttrs(spec.mode(), spec.owner(), spec.group(), ctx.sudo()));
        return StepResult.changed("set " + diff.describe() + " on '" + dest + "' (content unchanged)", data);
    }

    /** {@code dest.<stamp>.bak}, or {@code dest.<stamp>.<n>.bak} when a backup from the same second exists. */
    private static String freeBackupPath(String dest, StepContext ctx) throws TargetException, InterruptedException {
        String stamp = dest + "." + LocalDateTime.now(ctx.clock()).format(BACKUP_STAMP);
        String path = stamp + ".bak";
        for (int n = 1; ctx.target().stat(path, ctx.sudo()).isPresent(); n++) {
            path = stamp + "." + n + ".bak";
        }
        return path;
    }

    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
