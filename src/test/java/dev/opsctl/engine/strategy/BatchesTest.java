package dev.opsctl.engine.strategy;

import static dev.opsctl.engine.fakes.TestRunbooks.n;
import static dev.opsctl.engine.fakes.TestRunbooks.pct;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchesTest {
    private static List<Integer> sizes(int hosts, List<dev.opsctl.runbook.model.BatchSize> serial) {
        List<Integer> all = IntStream.rangeClosed(1, hosts).boxed().toList();
        return Batches.split(all, serial).stream().map(List::size).toList();
    }

    @Test
    void serialOneTakesHostsOneByOne() {
        assertEquals(List.of(1, 1, 1, 1), sizes(4, List.of(n(1))));
    }

    @Test
    void percentageIsOfAllHostsRoundedUp() {
        assertEquals(List.of(3, 2), sizes(5, List.of(pct(50))));
        assertEquals(List.of(1, 1, 1), sizes(3, List.of(pct(10))));
    }

    @Test
    void listEntriesAreConsumedInOrderAndTheLastRepeats() {
        assertEquals(List.of(1, 5, 4), sizes(10, List.of(n(1), pct(50), pct(100))));
        assertEquals(List.of(1, 2, 2, 2, 1), sizes(8, List.of(n(1), n(2))));
    }

    @Test
    void batchesKeepInventoryOrder() {
        assertEquals(List.of(List.of(1), List.of(2, 3), List.of(4)),
                Batches.split(List.of(1, 2, 3, 4), List.of(n(1), n(2))));
    }

    @Test
    void noHostsMakeNoBatches() {
        assertEquals(List.of(), sizes(0, List.of(n(1))));
    }
}
