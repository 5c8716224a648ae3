package dev.baton.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import picocli.CommandLine;

/** Runs batonctl in-process, the way the binary does, with stdout, stderr and stdin captured. */
public final class Cli {

    /** The fixed "now" of every run, so ages in tables are predictable. */
    public static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    /** What one run printed and returned. */
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    /** Runs {@code args} with empty standard input. */
    public static Result run(String... args) {
        return runWithStdin("", args);
    }

    /** Runs {@code args} with {@code stdin} as standard input (for {@code --config -}). */
    public static Result runWithStdin(String stdin, String... args) {
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        CommandLine commandLine = Batonctl.newCommandLine(new Batonctl(Clock.fixed(NOW, ZoneOffset.UTC), in));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** A run in the background (e.g. a follow), whose output can be read while it runs. */
    public record Running(StringWriter out, StringWriter err, java.util.concurrent.CompletableFuture<Result> result) {}

    /** Starts {@code args} on another thread and returns at once. */
    public static Running start(String... args) {
        CommandLine commandLine = Batonctl.newCommandLine(new Batonctl(Clock.fixed(NOW, ZoneOffset.UTC),
                                                                       new ByteArrayInputStream(new byte[0])));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        java.util.concurrent.CompletableFuture<Result> result = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> new Result(commandLine.execute(args), out.toString(), err.toString()));
        return new Running(out, err, result);
    }

    private Cli() {}
}
