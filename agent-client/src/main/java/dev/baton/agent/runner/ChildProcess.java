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
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's OS process and its descendants. A stop sends SIGTERM to the whole tree, and
 * {@link #awaitExit()} escalates to SIGKILL once the grace has passed; a kill sends SIGKILL at once.
 */
public final class ChildProcess {

    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);

    private final Process process;
    private final OutputTail stderr;
    private final CompletableFuture<Duration> stopRequested = new CompletableFuture<>();
    private final Set<ProcessHandle> signalled = new LinkedHashSet<>(); // guarded by this
    private volatile long stopRequestedAtNanos;

    private ChildProcess(Process process, OutputTail stderr) {
        this.process = process;
        this.stderr = stderr;
    }

    /**
     * Starts the command: stdout goes to the agent's stdout, stderr to the agent's stderr (each
     * line prefixed with {@code name}) and its last {@code tailLines} lines are kept.
     */
    public static ChildProcess start(CommandSpec spec, Map<String, String> extraEnv, String name,
                                     int tailLines, PrintStream stderrEcho) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(spec.command())
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        spec.workdir().ifPresent(dir -> builder.directory(dir.toFile()));
        builder.environment().putAll(spec.env());
        builder.environment().putAll(extraEnv);
        Process process = builder.start();
        OutputTail tail = new OutputTail(process.getErrorStream(), tailLines, "[" + name + "] ",
                                         stderrEcho, "baton-stderr-" + name);
        return new ChildProcess(process, tail);
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
