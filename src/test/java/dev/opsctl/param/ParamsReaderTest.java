package dev.opsctl.param;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.opsctl.source.Problem;
import dev.opsctl.source.Problems;
import dev.opsctl.source.YamlTree;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ParamsReaderTest {
    private final Problems problems = new Problems();

    private List<Param> read(String yaml, List<String> reserved, String example) {
        return YamlTree.parse("p.yaml", yaml, problems)
                .map(n -> new ParamsReader(problems, reserved, example).read(n))
                .orElseThrow();
    }

    @Test
    void readsTheFullAndTheShortFormWithDefaultsOfTheirType() {
        List<Param> params = read("""
                wait: {type: duration, default: 90s, description: drain}
                count: 3
                hosts: [a, b]
                token: {type: secret, env: API_TOKEN}
                """, List.of("host"), "x");
        assertEquals(List.of("wait", "count", "hosts", "token"), params.stream().map(Param::name).toList());
        assertEquals(Optional.of(Duration.ofSeconds(90)), params.get(0).defaultValue());
        assertEquals(ParamType.INT, params.get(1).type());
        assertEquals(Optional.of(List.of("a", "b")), params.get(2).defaultValue());
        assertEquals(Optional.of("API_TOKEN"), params.get(3).env());
        assertEquals(true, params.get(3).secret() && params.get(3).required());
        assertEquals(0, problems.size(), problems.render());
    }

    @Test
    void reservedNamesAndTheExampleAreTheCallersOwn() {
        read("""
                steps: 1
                9lives: 2
                """, List.of("steps"), "dashboard_url");
        List<String> messages = problems.sorted().stream().map(p -> p.pos().line() + ":" + p.pos().col() + " " + p.message()
                + " / " + p.hint().orElse("")).toList();
        assertEquals(List.of(
                "1:1 param name 'steps' is reserved / pick another name; 'steps.*' is built in",
                "2:1 param name '9lives' must be a name like 'dashboard_url' / letters, digits and '_', not starting with a digit"),
                messages);
    }

    @Test
    void anUnknownTypeGetsADidYouMeanAtItsValue() {
        read("n: {type: intt}\n", List.of(), "x");
        Problem p = problems.sorted().get(0);
        assertEquals("unknown param type 'intt'", p.message());
        assertEquals(Optional.of("did you mean 'int'?"), p.hint());
        assertEquals(11, p.pos().col());
    }
}
