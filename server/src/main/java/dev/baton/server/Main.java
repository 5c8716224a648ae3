package dev.baton.server;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.baton.server.api.ApiServer;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.config.ConfigException;
import dev.baton.server.config.ConfigLoader;
import dev.baton.server.internal.LogLevel;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/** {@code java -jar baton-server.jar [--port 8080] [--data-dir ./data] ...}: runs Baton until SIGTERM. */
public final class Main {

    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> flags = plainSettings(args);
        if (flags == null) {
            flags = parseWithPicocli(args);
            if (flags == null) {
                return;
            }
        }
        ApiServer.prepareInBackground(); // beside reading the configuration and setting up logging
        BatonConfig config;
        try {
            config = ConfigLoader.load(System.getenv(), flags);
        } catch (ConfigException e) {
            System.err.println("baton-server: " + e.getMessage());
            System.exit(2);
            return;
        }
        LogLevel.applyToBatonLoggers(config.logLevel());
        if (config.agentTokenGenerated()) {
            System.out.println("No AGENT_TOKEN set: generated agent token (shown once): " + config.agentToken());
        }
        if (config.generatedAdminToken() != null) {
            System.out.println("No ADMIN_TOKENS set: generated admin token (shown once; role admin): "
                               + config.generatedAdminToken());
        }
        BatonServer server = BatonServer.start(config);
        System.out.println("Baton listening on port " + server.port()
                           + (config.tls() != null ? " (REST and gRPC over TLS)" : " (REST and gRPC)") + ", data in "
                           + config.dataDir().toAbsolutePath());
        // A deposed leader's memory is stale: exit (75, EX_TEMPFAIL) so the supervisor restarts it as
        // a standby. From another thread: close() waits for the election thread that calls this.
        server.onDeposed(() -> new Thread(() -> {
            System.err.println("baton-server: lost the leadership; exiting so that a restart rejoins as a standby");
            System.exit(75);
        }, "baton-deposed-exit").start());
        CountDownLatch stopRequested = new CountDownLatch(1);
        // SIGTERM and SIGINT are a normal stop: close in order, then exit 0 (a JVM killed by a signal
        // would report 143). The shutdown hook still covers System.exit from elsewhere.
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> stopRequested.countDown());
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> stopRequested.countDown());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "baton-shutdown"));
        stopRequested.await();
        server.close();
        System.exit(0);
    }

    /**
     * The settings of a command line made only of {@code --flag value} and {@code --flag=value} pairs
     * of known settings, keyed by environment variable; null for anything else (help, version, an
     * unknown or incomplete option), which picocli then parses and explains. Building picocli's model
     * of some eighty options took about 0.4 s of every start, for a command line that is usually
     * {@code --port} and {@code --data-dir}.
     */
    static Map<String, String> plainSettings(String[] args) {
        Map<String, String> envByFlag = new HashMap<>();
        for (ConfigLoader.Setting setting : ConfigLoader.SETTINGS) {
            envByFlag.put(setting.flag(), setting.env());
        }
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            String flag = equals < 0 ? arg : arg.substring(0, equals);
            String env = envByFlag.get(flag);
            if (env == null || flags.containsKey(env)) {
                return null;
            }
            if (equals >= 0) {
                flags.put(env, arg.substring(equals + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                flags.put(env, args[++i]);
            } else {
                return null;
            }
        }
        return flags;
    }

    /** Settings by environment variable, or null when help or the version was printed. Exits 2 on a bad command line. */
    private static Map<String, String> parseWithPicocli(String[] args) {
        CommandSpec spec = CommandSpec.create().name("baton-server").mixinStandardHelpOptions(true)
                                      .version("baton-server " + BatonVersion.VERSION);
        spec.usageMessage().description(
                "Baton control plane: agents, jobs and engine pools on one port (gRPC, gRPC-Web, REST, dashboard).",
                "Every option can also be set by the environment variable in brackets; the option wins.");
        for (ConfigLoader.Setting setting : ConfigLoader.SETTINGS) {
            spec.addOption(OptionSpec.builder(setting.flag()).paramLabel("<value>").type(String.class)
                                     .description(setting.description() + " [" + setting.env() + ", default "
                                                  + setting.defaultValue() + "]").build());
        }
        CommandLine commandLine = new CommandLine(spec);
        ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            System.err.println("baton-server: " + e.getMessage() + " (see --help)");
            System.exit(2);
            return null;
        }
        if (CommandLine.printHelpIfRequested(parsed)) {
            return null;
        }
        Map<String, String> flags = new HashMap<>();
        for (ConfigLoader.Setting setting : ConfigLoader.SETTINGS) {
            if (parsed.hasMatchedOption(setting.flag())) {
                flags.put(setting.env(), parsed.matchedOptionValue(setting.flag(), ""));
            }
        }
        return flags;
    }
}
