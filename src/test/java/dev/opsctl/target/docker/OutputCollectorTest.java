package dev.opsctl.target.docker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Whether a container's log read again holds all that its attach had already got, stream by stream. */
class OutputCollectorTest {
    private static OutputCollector of(String stdout, String stderr) {
        OutputCollector c = new OutputCollector(1024);
        c.onNext(new Frame(StreamType.STDOUT, stdout.getBytes(StandardCharsets.UTF_8)));
        c.onNext(new Frame(StreamType.STDERR, stderr.getBytes(StandardCharsets.UTF_8)));
        return c;
    }

    @Test
    void aLogHoldingAllTheAttachGotAndMoreBeginsWithIt() {
        assertTrue(of("start\ndone\n", "warn\n").beginsWith(of("start\n", "warn\n")));
        assertTrue(of("start\n", "").beginsWith(of("start\n", "")));
    }

    @Test
    void aLogMissingItsFirstLinesOrAStreamDoesNot() {
        assertFalse(of("done\n", "warn\n").beginsWith(of("start\n", "warn\n")), "the first line rotated away");
        assertFalse(of("start\ndone\n", "").beginsWith(of("start\n", "warn\n")), "stderr missing");
        assertFalse(of("sta", "").beginsWith(of("start\n", "")), "shorter than the attach");
    }
}
