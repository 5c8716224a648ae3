package dev.baton.bench.harness;

import java.util.Arrays;
import java.util.List;

/** Small statistics over the values of repeated runs. */
public final class Stats {

    private Stats() {}

    /** The median (mean of the two middle values for an even count); NaN for none. */
    public static double median(List<Double> values) {
        double[] v = values.stream().filter(d -> !Double.isNaN(d)).mapToDouble(Double::doubleValue).toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    public static double min(List<Double> values) {
        return values.stream().filter(d -> !Double.isNaN(d)).mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    public static double max(List<Double> values) {
        return values.stream().filter(d -> !Double.isNaN(d)).mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
