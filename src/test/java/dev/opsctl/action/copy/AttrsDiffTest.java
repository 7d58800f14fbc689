package dev.opsctl.action.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.FileInfo;
import dev.opsctl.target.PosixId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AttrsDiffTest {
    private static final FileInfo ROOT_FILE = new FileInfo(3, 04755, false, new PosixId(0, "root"), new PosixId(4, "adm"));

    private static CopySpec spec(Optional<Integer> mode, Optional<String> owner, Optional<String> group) {
        return new CopySpec(Optional.empty(), "", Optional.of("x"), "/etc/x", mode, owner, group, false);
    }

    @Test
    void nothingToDoWhenNamesOrNumbersAndModeMatch() {
        assertTrue(AttrsDiff.of(ROOT_FILE, spec(Optional.of(04755), Optional.of("root"), Optional.of("4"))).none());
        assertTrue(AttrsDiff.of(ROOT_FILE, spec(Optional.empty(), Optional.of("0"), Optional.of("adm"))).none());
    }

    @Test
    void onlyWhatDiffersIsDescribed() {
        AttrsDiff diff = AttrsDiff.of(ROOT_FILE, spec(Optional.of(04755), Optional.of("root"), Optional.of("staff")));
        assertEquals("group 'staff'", diff.describe());
        assertEquals("mode 0640, owner 'www-data'",
                AttrsDiff.of(ROOT_FILE, spec(Optional.of(0640), Optional.of("www-data"), Optional.of("adm"))).describe());
    }
}
