package dev.baton.agent.runner;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import dev.baton.proto.v1.LogStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's OS process and its descendants. A stop sends SIGTERM to the whole tree, and
 * {@link #awaitExit()} escalates to SIGKILL once the grace has passed; a kill sends SIGKILL at once.
 */
public final class ChildProcess {

    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);

    private final Process process;
    private final OutputTail stdout;
    private final OutputTail stderr;
    private final CompletableFuture<Duration> stopRequested = new CompletableFuture<>();
    private final Set<ProcessHandle> signalled = new LinkedHashSet<>(); // guarded by this
    private volatile long stopRequestedAtNanos;

    private ChildProcess(Process process, OutputTail stdout, OutputTail stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Like {@link #start(CommandSpec, Map, String, int, PrintStream, BiConsumer)}, with the output going nowhere else. */
    public static ChildProcess start(CommandSpec spec, Map<String, String> extraEnv, String name,
                                     int tailLines, PrintStream stderrEcho) throws IOException {
        return start(spec, extraEnv, name, tailLines, stderrEcho, (stream, line) -> { });
    }

    /**
     * Starts the command: each line of its stdout and stderr goes to {@code output} (the job's log),
     * and is copied to the agent's stdout or {@code stderrEcho}, prefixed with {@code name}; the
     * last {@code tailLines} lines of stderr are kept.
     */
    public static ChildProcess start(CommandSpec spec, Map<String, String> extraEnv, String name,
                                     int tailLines, PrintStream stderrEcho,
                                     BiConsumer<LogStream, byte[]> output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(spec.command())
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        spec.workdir().ifPresent(dir -> builder.directory(dir.toFile()));
        builder.environment().putAll(spec.env());
        builder.environment().putAll(extraEnv);
        Process process = builder.start();
        OutputTail out = new OutputTail(process.getInputStream(), 0, "[" + name + "] ", System.out,
                                        line -> output.accept(LogStream.LOG_STREAM_STDOUT, line), "baton-stdout-" + name);
        OutputTail err = new OutputTail(process.getErrorStream(), tailLines, "[" + name + "] ", stderrEcho,
                                        line -> output.accept(LogStream.LOG_STREAM_STDERR, line), "baton-stderr-" + name);
        return new ChildProcess(process, out, err);
    }

    /** The process id. */
    public long pid() {
        return process.pid();
    }

    /** True while the process runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGTERM to the process and its descendants now; {@link #awaitExit()} sends SIGKILL to
     * whatever of the tree still runs after {@code grace}.
     */
    public void requestStop(Duration grace) {
        if (stopRequested.isDone()) {
            return;
        }
        stopRequestedAtNanos = System.nanoTime();
        signalTree(false);
        stopRequested.complete(grace);
    }

    /** SIGKILL to the process and its descendants, now. */
    public void kill() {
        signalTree(true);
        stopRequested.complete(Duration.ZERO);
    }

    /**
     * Waits for the process to exit, killing its tree when a requested stop outlasts its grace.
     *
     * @return the exit code (128 + signal number when a signal ended it)
     */
    public int awaitExit() throws InterruptedException {
        try {
            CompletableFuture.anyOf(process.onExit(), stopRequested).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for process " + pid() + " failed", e.getCause());
        }
        if (process.isAlive()) {
            Duration grace = stopRequested.join();
            long left = grace.toNanos() - (System.nanoTime() - stopRequestedAtNanos);
            if (!process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                log.info("grace over, killing process tree pid={} grace={}ms", pid(), grace.toMillis());
                signalTree(true);
            }
        }
        int exit = process.waitFor();
        killStragglers();
        return exit;
    }

    /**
     * Waits (at most a second: a background grandchild may hold the pipes open) until both output
     * streams were read to their end, so every line is in the job's log before its end is reported.
     */
    public void awaitOutput() throws InterruptedException {
        stdout.await(1000);
        stderr.await(1000);
    }

    /** The last lines the process wrote to stderr. */
    public String stderrTail() throws InterruptedException {
        return stderr.awaitTail(1000);
    }

    /**
     * Processes signalled once must not survive: a child that ignored SIGTERM is reparented when
     * its parent dies, so it would no longer be found among the descendants.
     */
    private void killStragglers() {
        Set<ProcessHandle> survivors;
        synchronized (this) {
            if (signalled.isEmpty()) {
                return;
            }
            survivors = signalled.stream().filter(ProcessHandle::isAlive).collect(Collectors.toSet());
        }
        survivors.forEach(ProcessHandle::destroyForcibly);
    }

    private void signalTree(boolean forcibly) {
        // The tree is listed before any signal: once the parent dies, its children are reparented
        // and no longer found through it. The parent is signalled first, so a shell waiting for its
        // child ends by the signal rather than exiting 0 because the child died before it.
        Set<ProcessHandle> tree = new LinkedHashSet<>();
        tree.add(process.toHandle());
        process.descendants().forEach(tree::add);
        synchronized (this) {
            signalled.addAll(tree);
            if (forcibly) {
                tree.addAll(signalled);
            }
        }
        for (ProcessHandle handle : tree) {
            if (handle.isAlive()) {
                boolean sent = forcibly ? handle.destroyForcibly() : handle.destroy();
                log.debug("{} sent pid={} sent={}", forcibly ? "SIGKILL" : "SIGTERM", handle.pid(), sent);
            }
        }
    }
}
