package dev.baton.agent.runner;

import dev.baton.agent.CommandRejectedException;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Sends a named signal with the system's {@code kill}: Java can only send TERM and KILL itself. */
final class Signals {

    private Signals() {}

    /** {@code "usr1"}, {@code "SIGUSR1"} and {@code "USR1"} all name SIGUSR1. */
    static String normalize(String signal) {
        String name = signal.trim().toUpperCase(Locale.ROOT);
        name = name.startsWith("SIG") ? name.substring(3) : name;
        if (!name.matches("[A-Z0-9+-]+")) {
            throw new IllegalArgumentException("signal: " + signal + " (expected: a name such as USR1)");
        }
        return name;
    }

    static void send(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new CommandRejectedException("kill -s " + signal + " " + pid + " did not finish");
            }
            if (kill.exitValue() != 0) {
                String output = new String(kill.getInputStream().readAllBytes()).trim();
                throw new CommandRejectedException("kill -s " + signal + " " + pid + " failed: " + output);
            }
        } catch (IOException e) {
            throw new CommandRejectedException("cannot run kill -s " + signal + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandRejectedException("interrupted while sending SIG" + signal);
        }
    }
}
