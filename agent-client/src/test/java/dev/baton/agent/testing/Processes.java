package dev.baton.agent.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What tests ask about OS processes. */
public final class Processes {

    private Processes() {}

    /**
     * True once the process no longer runs. A zombie counts as ended: it is dead and only waits
     * for its parent (for an orphan: PID 1, which may reap late) to collect its exit status.
     */
    public static boolean ended(ProcessHandle process) {
        return !process.isAlive() || zombie(process.pid());
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The state follows the command name, which is in parentheses and may contain spaces.
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true; // no /proc entry: gone
        }
    }
}
