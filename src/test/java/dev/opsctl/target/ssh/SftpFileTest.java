package dev.opsctl.target.ssh;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.Closeable;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class SftpFileTest {
    /** What sshj does once the connection broke: the read and the close both throw its one error. */
    @Test
    void aCloseThatThrowsTheReadsOwnErrorLeavesThatErrorToTheCaller() {
        IOException lost = new IOException("Broken transport; encountered EOF");
        IOException thrown = assertThrows(IOException.class, () -> {
            try (Closeable file = () -> SftpFile.closeAsItsOwnFailure(() -> {
                throw lost;
            })) {
                throw lost;
            }
        });
        assertSame(lost, thrown);
        assertEquals(1, thrown.getSuppressed().length);
        assertSame(lost, thrown.getSuppressed()[0].getCause());
    }
}
