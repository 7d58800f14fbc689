package dev.opsctl.target.ssh;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.opsctl.target.OutputListener;
import dev.opsctl.target.OutputText;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputPumpTest {
    private static final String MARK = "[opsctl-mark:0123456789abcdef]";

    private record Pumped(String text, List<String> lines, List<String> events) {}

    private static Pumped pump(String remote) throws Exception {
        return pump(remote.getBytes(UTF_8), OutputText.REPLACED);
    }

    private static Pumped pump(byte[] remote, OutputText text) throws Exception {
        List<String> lines = new ArrayList<>();
        List<String> events = new ArrayList<>();
        OutputPump p = new OutputPump(new ByteArrayInputStream(remote), OutputListener.Stream.STDERR,
                (s, l) -> lines.add(l), 1 << 20, text, MARK, new OutputPump.Marks() {
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
    void bytesThatAreNotUtf8AroundTheMarksAreKeptWhenAskedAndReplacedOtherwise() throws Exception {
        java.io.ByteArrayOutputStream remote = new java.io.ByteArrayOutputStream();
        remote.writeBytes(new byte[] {(byte) 0xe9, (byte) 0xf0, (byte) 0x9f});
        remote.writeBytes((MARK + "#4242\n").getBytes(UTF_8));
        remote.writeBytes(new byte[] {(byte) 0x9a, (byte) 0x80, '\n'});
        Pumped kept = pump(remote.toByteArray(), OutputText.BYTES_KEPT);
        assertEquals(List.of("group 4242"), kept.events());
        byte[] wrote = {(byte) 0xe9, (byte) 0xf0, (byte) 0x9f, (byte) 0x9a, (byte) 0x80, '\n'};
        org.junit.jupiter.api.Assertions.assertArrayEquals(wrote, dev.opsctl.source.HostBytes.encode(kept.text()),
                "the emoji the marks cut in two is whole again, the stray byte kept");
        assertEquals("\uDCE9\uD83D\uDE80", kept.lines().get(0));

        Pumped replaced = pump(remote.toByteArray(), OutputText.REPLACED);
        assertEquals("\uFFFD\uD83D\uDE80\n", replaced.text());
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
