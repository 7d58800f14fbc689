package dev.opsctl.action.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.target.FileInfo;
import dev.opsctl.target.PosixId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AttrsFixTest {
    private static final FileInfo ROOT_FILE = new FileInfo(3, 04755, false, new PosixId(0, "root"), new PosixId(4, "adm"));

    private static CopySpec spec(Optional<Integer> mode, Optional<String> owner, Optional<String> group) {
        return new CopySpec(Optional.empty(), "", Optional.of("x"), "/etc/x", mode, owner, group, false);
    }

    @Test
    void nothingToDoWhenNamesOrNumbersAndModeMatch() {
        assertTrue(AttrsFix.of(ROOT_FILE, spec(Optional.of(04755), Optional.of("root"), Optional.of("4"))).none());
        assertTrue(AttrsFix.of(ROOT_FILE, spec(Optional.empty(), Optional.of("0"), Optional.of("adm"))).none());
    }

    @Test
    void aGroupAloneIsAChownOfTheGroupOnly() {
        AttrsFix fix = AttrsFix.of(ROOT_FILE, spec(Optional.empty(), Optional.of("root"), Optional.of("staff")));
        assertEquals("chown :staff -- /etc/x", fix.command("/etc/x"));
        assertEquals("group 'staff'", fix.describe());
    }

    @Test
    void anAskedModeIsSetAgainAfterAChownBecauseChownClearsSetuid() {
        AttrsFix fix = AttrsFix.of(ROOT_FILE, spec(Optional.of(04755), Optional.of("www-data"), Optional.empty()));
        assertEquals("chown www-data -- /etc/x && chmod 4755 -- /etc/x", fix.command("/etc/x"));
    }
}
