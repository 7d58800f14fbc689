package dev.opsctl.cli;

import dev.opsctl.cli.keeper.KeeperClient;
import dev.opsctl.cli.keeper.KeeperPlace;
import dev.opsctl.cli.keeper.KeeperServer;
import dev.opsctl.cli.keeper.KeeperUnavailable;
import dev.opsctl.cli.keeper.KeeperWire;
import dev.opsctl.engine.ExitCodes;
import dev.opsctl.source.Durations;
import dev.opsctl.target.ssh.SshTargets;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code opsctl exec --keep-connections}: the client hands its command line to this user's keeper
 * (started on first use) and the keeper runs it with {@link Launch}, in the client's environment
 * and working directory, over connections it keeps from one exec to the next. Also what the keeper
 * process ({@code dev.opsctl.KeeperMain}) does. The keeper runs {@code exec} and nothing else.
 */
public final class ExecKeeper {
    static final String ENV = "OPSCTL_KEEP_CONNECTIONS";
    /**
     * JVM options a keeper inherits from its client: memory, compiler, class data sharing (not
     * recording or dumping), and the home whose ~/.ssh it reads.
     */
    private static final List<String> INHERITED = List.of("-XX:TieredStopAtLevel", "-XX:+UseSerialGC", "-XX:SharedArchiveFile",
            "-Xmn", "-Xmx", "-Xms", "-Xss", "-Xshare", "-Xlog", "-Duser.home=");

    private ExecKeeper() {}

    /** How long to keep connections: {@code --keep-connections} if given, else {@code $OPSCTL_KEEP_CONNECTIONS}, else zero. */
    static Duration keepFor(Duration option, CliEnv env) {
        if (option != null) {
            return option;
        }
        Optional<String> text = env.var(ENV);
        if (text.isEmpty()) {
            return Duration.ZERO;
        }
        return Durations.parse(text.get()).orElseThrow(() -> new UsageException(
                ENV + "='" + text.get() + "' is not a duration", "set it to e.g. 60s or 5m, or 0 to close connections after each exec"));
    }

    /** Cheaply, before parsing: might this command line run in a keeper (then this process need not prepare SSH)? */
    static boolean mayForward(CliEnv env, String... args) {
        if (args.length == 0 || !args[0].equals("exec")) {
            return false;
        }
        for (int i = 1; i < args.length && !args[i].equals("--"); i++) {
            if (args[i].equals("--keep-connections") && i + 1 < args.length) {
                return !Durations.parse(args[i + 1]).map(Duration::isZero).orElse(true);
            }
            if (args[i].startsWith("--keep-connections=")) {
                return !Durations.parse(args[i].substring("--keep-connections=".length())).map(Duration::isZero).orElse(true);
            }
        }
        return !env.var(ENV).flatMap(Durations::parse).map(Duration::isZero).orElse(true);
    }

    /**
     * Runs {@code args} in the keeper; empty when no keeper can take it (nothing ran, a warning
     * says why) and the caller runs it itself.
     */
    static Optional<Integer> forward(CliEnv env, List<String> args, Duration keep) {
        KeeperPlace place;
        try {
            place = KeeperPlace.forThisBuild(env.env());
        } catch (KeeperUnavailable e) {
            env.err().println("warning: not keeping connections: " + e.getMessage());
            return Optional.empty();
        }
        KeeperWire.Request request = new KeeperWire.Request(args, env.env(), env.workingDir(), keep);
        try {
            return Optional.of(new KeeperClient(place, keeperCommand(place, keep)).run(request, env.out(), env.err()));
        } catch (KeeperUnavailable e) {
            env.err().println("warning: not keeping connections: " + e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            // the keeper saw this client go and stops the command, as Ctrl-C stops one run in place
            env.err().println("opsctl exec: interrupted");
            return Optional.of(ExitCodes.INTERRUPTED);
        } catch (KeeperClient.KeeperLost e) {
            env.err().println("opsctl exec: " + e.getMessage() + "; hosts may have run the command: check them before running it again");
            return Optional.of(ExitCodes.INTERNAL);
        }
    }

    /** This JVM, with its memory and CDS options, running {@link #serve} in a session of its own. */
    static List<String> keeperCommand(KeeperPlace place, Duration keep) {
        List<String> cmd = new ArrayList<>();
        for (String setsid : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(setsid))) {
                cmd.add(setsid);
                break;
            }
        }
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : ProcessHandle.current().info().arguments().orElse(new String[0])) {
            if (!a.startsWith("-") || a.equals("-jar") || a.equals("-cp") || a.equals("-classpath") || a.equals("--class-path")) {
                break;
            }
            if (INHERITED.stream().anyMatch(a::startsWith)) {
                cmd.add(a);
            }
        }
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.add(Path.of(entry).toAbsolutePath().normalize().toString());
        }
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, classPath), "dev.opsctl.KeeperMain",
                place.dir().toString(), place.build(), Long.toString(keep.toMillis())));
        return cmd;
    }

    /** The keeper process, {@code DIR BUILD KEEP_MILLIS}, until idle; returns its exit code (0 also when another keeper holds the place). */
    public static int serve(String... argv) {
        try {
            KeeperPlace place = KeeperPlace.at(Path.of(argv[0]), argv[1]);
            Duration keep = Duration.ofMillis(Long.parseLong(argv[2]));
            SshTargets.keepConnections(keep);
            new KeeperServer(place, new Runner(), keep).serve();
            return ExitCodes.OK;
        } catch (Exception | LinkageError e) {
            System.err.println("opsctl keeper: " + e);
            return ExitCodes.INTERNAL;
        }
    }

    private static final class Runner implements KeeperServer.Runner {
        @Override
        public int run(KeeperWire.Request request, PrintStream out, PrintStream err) {
            // root options (--debug) may come before the command's name
            if (request.args().stream().filter(a -> !a.startsWith("-")).findFirst().filter("exec"::equals).isEmpty()) {
                err.println("opsctl: the connection keeper runs 'opsctl exec' only");
                return ExitCodes.USAGE;
            }
            SshTargets.keepConnections(request.keep());
            return Launch.execute(new CliEnv(out, err, request.env(), request.workingDir(), false),
                    request.args().toArray(String[]::new));
        }

        @Override
        public void stop() {
            SshTargets.keepConnections(Duration.ZERO);
        }
    }
}
