package dev.opsctl.target.ssh;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.opsctl.target.OutputListener;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputPumpTest {
    private static final String MARK = "[opsctl-mark:0123456789abcdef]";

    private record Pumped(String text, List<String> lines, List<String> events) {}

    private static Pumped pump(String remote) throws Exception {
        List<String> lines = new ArrayList<>();
        List<String> events = new ArrayList<>();
        OutputPump p = new OutputPump(new ByteArrayInputStream(remote.getBytes(UTF_8)), OutputListener.Stream.STDERR,
                (s, l) -> lines.add(l), 1 << 20, MARK, new OutputPump.Marks() {
                    @Override
                    public void prompted() {
                        events.add("prompted");
                    }

                    @Override
                    public void started() {
                        events.add("started");
                    }

                    @Override
                    public void group(long pgid) {
                        events.add("group " + pgid);
                    }
                });
        p.call();
        return new Pumped(p.text(), lines, events);
    }

    @Test
    void theProcessGroupLineIsReportedAndKeptOutOfTheOutput() throws Exception {
        Pumped p = pump(MARK + "#4242\n" + "warning: disk 91% full\n");
        assertEquals(List.of("group 4242"), p.events());
        assertEquals("warning: disk 91% full\n", p.text());
        assertEquals(List.of("warning: disk 91% full"), p.lines());
    }

    @Test
    void promptStartAndGroupMarksMixWithOutput() throws Exception {
        Pumped p = pump("before " + MARK + "?" + MARK + "#77\n" + MARK + "!after\n");
        assertEquals(List.of("prompted", "group 77", "started"), p.events());
        assertEquals("before after\n", p.text());
    }

    @Test
    void aGroupThatIsNotAProcessGroupOfItsOwnIsNeverReported() throws Exception {
        // kill -KILL -1 would signal every process the user may: 0 and 1 are never a command's group
        assertEquals(List.of(), pump(MARK + "#1\n").events());
        assertEquals(List.of(), pump(MARK + "#0\n").events());
        assertEquals(List.of(), pump(MARK + "#\n").events());
        assertEquals(List.of(), pump(MARK + "#12x\n").events(), "not digits to the end of the line");
        assertEquals(List.of(), pump(MARK + "#12345678901\n").events(), "more digits than a pid has");
    }

    @Test
    void aMarkerCutShortIsOutputAsItCame() throws Exception {
        Pumped p = pump("[opsctl-mark:0123\n");
        assertEquals(List.of(), p.events());
        assertEquals("[opsctl-mark:0123\n", p.text());
    }

    @Test
    void aLineLongerThanOneListenerCallIsCutBetweenCharacters() throws Exception {
        String line = "x".repeat(64 * 1024 - 1) + "日本語";
        Pumped p = pump(line + "\n");
        assertEquals(line, String.join("", p.lines()), "no character lost or replaced at the cut");
        assertEquals(2, p.lines().size());
        assertEquals("x".repeat(64 * 1024 - 1), p.lines().get(0));
    }
}
