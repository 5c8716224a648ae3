package dev.baton.bench;

import dev.baton.bench.scenario.DispatchScenario;
import dev.baton.bench.scenario.EngineScenario;
import dev.baton.bench.scenario.FleetScaleScenario;
import dev.baton.bench.scenario.FsyncScenario;
import dev.baton.bench.scenario.LatencyScenario;
import dev.baton.bench.scenario.RestVsGrpcScenario;
import dev.baton.bench.scenario.RestartScenario;
import dev.baton.bench.scenario.WatchFanoutScenario;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar bench/target/baton-bench.jar SCENARIO [options]}: runs one benchmark scenario of
 * issue #9 against a Baton server on 127.0.0.1 and writes its result (see docs/benchmarks.md).
 */
@Command(name = "baton-bench", mixinStandardHelpOptions = true,
         description = "Baton benchmarks; every scenario talks only to 127.0.0.1 and is bounded in time.",
         subcommands = {DispatchScenario.class, LatencyScenario.class, FleetScaleScenario.class,
                        WatchFanoutScenario.class, RestartScenario.class, RestVsGrpcScenario.class,
                        EngineScenario.class, FsyncScenario.class})
public final class Main {

    private static volatile String commandLine = "";

    private Main() {}

    public static void main(String[] args) {
        commandLine = "java -jar bench/target/baton-bench.jar " + String.join(" ", args);
        System.exit(new CommandLine(new Main()).execute(args));
    }

    /** How this run was started, for the result file. */
    public static String commandLine() {
        return commandLine;
    }
}
