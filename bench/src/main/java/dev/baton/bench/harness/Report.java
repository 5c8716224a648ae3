package dev.baton.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of one scenario: the machine, the command, the commit, and every metric of every run
 * with its median across runs and the target it is held against. Written as Markdown, ready to be
 * copied into docs/benchmarks.md.
 */
public final class Report {

    /** What a metric is compared with: {@code value <= limit} or {@code value >= limit}. */
    public record Target(String op, double limit) {
        public static Target atMost(double limit) {
            return new Target("<=", limit);
        }

        public static Target atLeast(double limit) {
            return new Target(">=", limit);
        }

        boolean met(double value) {
            return op.equals("<=") ? value <= limit : value >= limit;
        }

        @Override
        public String toString() {
            return op.replace("<=", "≤").replace(">=", "≥") + " " + format(limit);
        }
    }

    private record Metric(String unit, Target target, List<Double> values) {}

    private final String scenario;
    private final String command;
    private final String loadBefore;
    private final String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    private final Map<String, Metric> metrics = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private int runs;

    public Report(String scenario, String command) {
        this.scenario = scenario;
        this.command = command;
        this.loadBefore = Machine.loadAverage();
    }

    /** Declares a metric (its order in the table is the order of declaration). */
    public Report metric(String name, String unit, Target target) {
        metrics.putIfAbsent(name, new Metric(unit, target, new ArrayList<>()));
        return this;
    }

    /** Records one run's value of {@code name}; undeclared metrics have no unit and no target. */
    public void record(String name, double value) {
        metrics.computeIfAbsent(name, n -> new Metric("", null, new ArrayList<>())).values().add(value);
    }

    /** Marks the end of a run (for the run count in the header). */
    public void endRun() {
        runs++;
    }

    public void note(String line) {
        notes.add(line);
    }

    /** The median of {@code name} across runs so far. */
    public double median(String name) {
        Metric m = metrics.get(name);
        return m == null ? Double.NaN : Stats.median(m.values());
    }

    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("### ").append(scenario).append("\n\n");
        md.append("- machine: ").append(Machine.describe()).append('\n');
        md.append("- load average (1/5/15 min) before: ").append(loadBefore).append(", after: ")
          .append(Machine.loadAverage()).append('\n');
        md.append("- commit: ").append(Machine.commit()).append(", started ").append(started).append('\n');
        md.append("- command: `").append(command).append("`\n");
        md.append("- runs: ").append(runs).append("\n\n");
        md.append("| metric | median | min | max | per run | target | met |\n");
        md.append("| --- | ---: | ---: | ---: | --- | --- | --- |\n");
        metrics.forEach((name, m) -> {
            if (m.values().isEmpty()) {
                return;
            }
            double median = Stats.median(m.values());
            String unit = m.unit().isEmpty() ? "" : " " + m.unit();
            md.append("| ").append(name).append(" | ").append(format(median)).append(unit)
              .append(" | ").append(format(Stats.min(m.values())))
              .append(" | ").append(format(Stats.max(m.values())))
              .append(" | ").append(String.join(", ", m.values().stream().map(Report::format).toList()))
              .append(" | ").append(m.target() == null ? "" : m.target() + unit)
              .append(" | ").append(m.target() == null ? "" : m.target().met(median) ? "yes" : "**no**")
              .append(" |\n");
        });
        if (!notes.isEmpty()) {
            md.append('\n');
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        return md.toString();
    }

    /** Writes the report to {@code dir/<scenario>-<time>.md} and returns the path. */
    public Path write(Path dir) {
        try {
            Files.createDirectories(dir);
            String stamp = ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            Path file = dir.resolve(scenario.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + "-" + stamp + ".md");
            Files.writeString(file, toMarkdown());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
