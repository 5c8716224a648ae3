package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** Every command explains itself, and the binary can describe its version and complete itself. */
class HelpTest {

    @Test
    void everyCommandHasHelpAndEveryLeafHasExamples() {
        List<List<String>> paths = new ArrayList<>();
        collect(Batonctl.newCommandLine(new Batonctl(Clock.systemUTC(), System.in)), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThan(30);

        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Cli.Result result = Cli.run(args.toArray(String[]::new));

            assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.OK);
            assertThat(result.out()).as(String.join(" ", args)).startsWith("Usage: batonctl");
            if (isLeaf(path)) {
                assertThat(result.out()).as(String.join(" ", args)).contains("Examples:");
            }
        }
    }

    @Test
    void rootHelpDocumentsTheExitCodes() {
        Cli.Result result = Cli.run("--help");

        assertThat(result.out()).contains("Exit codes:")
                                .contains("3  not found")
                                .contains("5  server unreachable");
    }

    @Test
    void versionPrintsTheBuildVersion() {
        Cli.Result result = Cli.run("--version");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).startsWith("batonctl ").doesNotContain("${project.version}");
    }

    @Test
    void completionPrintsABashScriptCoveringTheCommands() {
        Cli.Result result = Cli.run("completion");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).contains("complete -F")
                                .contains("_picocli_batonctl_jobs_submit")
                                .contains("--from-revision");
    }

    private static void collect(CommandLine commandLine, List<String> path, List<List<String>> paths) {
        paths.add(path);
        commandLine.getSubcommands().forEach((name, sub) -> {
            if (!name.equals(sub.getCommandName()) || "help".equals(name)) {
                return; // an alias, or picocli's own help command
            }
            List<String> subPath = new ArrayList<>(path);
            subPath.add(name);
            collect(sub, subPath, paths);
        });
    }

    private static boolean isLeaf(List<String> path) {
        CommandLine commandLine = Batonctl.newCommandLine(new Batonctl(Clock.systemUTC(), System.in));
        for (String name : path) {
            commandLine = commandLine.getSubcommands().get(name);
        }
        return commandLine.getSubcommands().isEmpty() && !path.isEmpty();
    }
}
