package dev.baton.bench.scenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.Callable;

import dev.baton.bench.Main;
import dev.baton.bench.harness.Report;
import dev.baton.bench.harness.Samples;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The floor under idle latency: one SQLite commit of one row with the store's settings (WAL,
 * {@code synchronous=FULL}), on the disk the scenarios use. A submit is acknowledged only after such
 * a commit, so submit → RUNNING can never beat it.
 */
@Command(name = "fsync", mixinStandardHelpOptions = true,
         description = "The store's floor: time of one single-row SQLite commit (WAL, synchronous=FULL).")
public final class FsyncScenario implements Callable<Integer> {

    @Mixin
    Common common;

    @Option(names = "--commits", defaultValue = "2000", description = "commits per run (the first 10 % left out)")
    int commits;

    @Override
    public Integer call() throws Exception {
        Report report = new Report("Store commit (fsync)", Main.commandLine());
        report.metric("one-row commit p50", "ms", null);
        report.metric("one-row commit p90", "ms", null);
        report.metric("one-row commit p99", "ms", null);
        for (int run = 1; run <= common.runs; run++) {
            Path dir = common.workDir.resolve("fsync-" + System.currentTimeMillis() + "-run" + run);
            Files.createDirectories(dir);
            Samples samples = commitRows(dir.resolve("probe.db"));
            report.record("one-row commit p50", samples.percentileMillis(50));
            report.record("one-row commit p90", samples.percentileMillis(90));
            report.record("one-row commit p99", samples.percentileMillis(99));
            Common.log("run %d: p50 %.3f ms, p99 %.3f ms", run, samples.percentileMillis(50),
                       samples.percentileMillis(99));
            report.endRun();
        }
        report.note("Each commit is one INSERT OR REPLACE of a 300-byte blob and a COMMIT, as the store's writer does "
                    + "for a lone submit (WAL, synchronous=FULL, in --work-dir).");
        return common.finish(report, true);
    }

    private Samples commitRows(Path file) throws Exception {
        Samples samples = new Samples();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, data BLOB NOT NULL)");
            }
            connection.setAutoCommit(false);
            byte[] blob = new byte[300];
            try (PreparedStatement insert = connection.prepareStatement("INSERT OR REPLACE INTO t (id, data) VALUES (?, ?)")) {
                for (int i = 0; i < commits; i++) {
                    long start = System.nanoTime();
                    insert.setInt(1, i);
                    insert.setBytes(2, blob);
                    insert.executeUpdate();
                    connection.commit();
                    if (i >= commits / 10) {
                        samples.add(System.nanoTime() - start);
                    }
                }
            }
        }
        return samples;
    }
}
