package dev.opsctl.testhost;

import java.time.Instant;
import java.util.List;

/** One membership change recorded by the load-balancer stand-in ({@code lb-ctl}). */
public record LbEvent(Instant at, String action, String backend, int outCount, List<String> out) {

    public LbEvent {
        out = List.copyOf(out);
    }

    static LbEvent parse(String line) {
        String[] f = line.trim().split(" ");
        if (f.length != 5) {
            throw new IllegalArgumentException("malformed lb-ctl timeline line '" + line + "'");
        }
        List<String> out = f[4].equals("-") ? List.of() : List.of(f[4].split(","));
        return new LbEvent(Instant.ofEpochMilli(Long.parseLong(f[0])), f[1], f[2], Integer.parseInt(f[3]), out);
    }
}
