package dev.opsctl.cli.keeper;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The client's side: hands a request to the keeper, starting one when none answers, and copies
 * what comes back to this process's stdout and stderr. A keeper that closes before it accepted
 * the request ran nothing (it was stopping): the client starts another, once.
 */
public final class KeeperClient {
    private static final Duration START_WAIT = Duration.ofSeconds(15);
    private static final long POLL_MILLIS = 10;
    private static final long RESPAWN_MILLIS = 100;

    private final KeeperPlace place;
    private final List<String> keeperCommand;

    /** {@code keeperCommand} starts a keeper for {@code place} (its working directory will be the place's). */
    public KeeperClient(KeeperPlace place, List<String> keeperCommand) {
        this.place = place;
        this.keeperCommand = List.copyOf(keeperCommand);
    }

    /**
     * Runs {@code request} in the keeper and returns its exit code.
     *
     * @throws KeeperUnavailable no keeper took the request, so nothing ran: the caller may run it itself
     * @throws KeeperLost the keeper took the request and ended before it finished: part of it may have run
     * @throws InterruptedException this thread was interrupted; the keeper, seeing the socket close, stops the command
     */
    public int run(KeeperWire.Request request, OutputStream out, OutputStream err)
            throws KeeperUnavailable, KeeperLost, InterruptedException {
        Optional<SocketChannel> existing = connect();
        SocketChannel channel = existing.isPresent() ? existing.get() : start();
        Optional<Integer> code = runOn(channel, request, out, err);
        if (code.isPresent()) {
            return code.get();
        }
        // a keeper that was stopping for idleness closed without taking the request
        code = runOn(start(), request, out, err);
        return code.orElseThrow(() -> new KeeperUnavailable("a new keeper closed without taking the command: see " + place.log()));
    }

    /** The exit code, or empty when the keeper closed before accepting the request. */
    private Optional<Integer> runOn(SocketChannel channel, KeeperWire.Request request, OutputStream out, OutputStream err)
            throws KeeperLost, InterruptedException {
        try (channel) {
            DataOutputStream toKeeper = new DataOutputStream(new BufferedOutputStream(KeeperWire.output(channel)));
            DataInputStream fromKeeper = new DataInputStream(new BufferedInputStream(KeeperWire.input(channel)));
            try {
                KeeperWire.write(toKeeper, request);
                if (KeeperWire.readFrame(fromKeeper).kind() != KeeperWire.ACCEPTED) {
                    throw new KeeperLost("the keeper answered out of turn: see " + place.log());
                }
            } catch (IOException e) {
                throwIfInterrupted(e);
                return Optional.empty();
            }
            return Optional.of(copyUntilExit(fromKeeper, out, err));
        } catch (IOException e) {
            throwIfInterrupted(e);
            throw new KeeperLost("lost the keeper: " + e.getMessage());
        }
    }

    private static void throwIfInterrupted(IOException e) throws InterruptedException {
        if (e instanceof ClosedByInterruptException || Thread.interrupted()) {
            Thread.interrupted();
            throw new InterruptedException("interrupted while the keeper ran the command");
        }
    }

    private int copyUntilExit(DataInputStream fromKeeper, OutputStream out, OutputStream err) throws KeeperLost, InterruptedException {
        try {
            while (true) {
                KeeperWire.Frame f = KeeperWire.readFrame(fromKeeper);
                switch (f.kind()) {
                    case KeeperWire.OUT -> {
                        out.write(f.payload());
                        out.flush();
                    }
                    case KeeperWire.ERR -> {
                        err.write(f.payload());
                        err.flush();
                    }
                    case KeeperWire.EXIT -> {
                        return f.exitCode();
                    }
                    default -> throw new KeeperLost("the keeper sent an unknown frame '" + (char) f.kind() + "': see " + place.log());
                }
            }
        } catch (EOFException e) {
            throw new KeeperLost("the keeper ended before the command finished: see " + place.log());
        } catch (IOException e) {
            throwIfInterrupted(e);
            throw new KeeperLost("lost the keeper while the command ran: " + e);
        }
    }

    private Optional<SocketChannel> connect() {
        try {
            return Optional.of(SocketChannel.open(UnixDomainSocketAddress.of(place.socket())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Starts a keeper, in a session of its own (Ctrl-C on this terminal does not reach it), and waits
     * for its socket. A keeper that leaves at once with 0 found the place held: by one about to
     * listen, or by one stopping, after which another is started.
     */
    private SocketChannel start() throws KeeperUnavailable, InterruptedException {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        Process keeper = spawn();
        while (System.nanoTime() < deadline) {
            Optional<SocketChannel> c = connect();
            if (c.isPresent()) {
                return c.get();
            }
            if (!keeper.isAlive()) {
                if (keeper.exitValue() != 0) {
                    throw new KeeperUnavailable("the keeper failed to start (exit " + keeper.exitValue() + "): see " + place.log());
                }
                Thread.sleep(RESPAWN_MILLIS);
                if (connect().isEmpty()) {
                    keeper = spawn();
                    continue;
                }
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new KeeperUnavailable("the keeper did not listen within " + START_WAIT.toSeconds() + "s: see " + place.log());
    }

    private Process spawn() throws KeeperUnavailable {
        try {
            try {
                Files.createFile(place.log(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                // appended to
            }
            return new ProcessBuilder(keeperCommand)
                    .directory(place.dir().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(place.log().toFile()))
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new KeeperUnavailable("cannot start the keeper: " + e.getMessage());
        }
    }

    /** The keeper took the command and ended, or broke the protocol, before the command finished. */
    public static final class KeeperLost extends Exception {
        KeeperLost(String message) {
            super(message, null, false, false);
        }
    }
}
