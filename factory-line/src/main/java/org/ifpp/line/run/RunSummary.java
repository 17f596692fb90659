package org.ifpp.line.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.ifpp.line.http.Json;

/**
 * The end-of-run figures of a production run: counts, throughput, per-device latency percentiles
 * and the time spent in each step. Printed as text, or as one JSON line.
 *
 * @param devices chips on the lines
 * @param installed chips with a profile installed and the result reported
 * @param failed all the others
 * @param failures failure counts by outcome and reason
 * @param lines number of lines
 * @param seconds wall-clock time of the run
 * @param rate devices per second (all devices, wall clock)
 * @param p50Ms median time per device
 * @param p99Ms 99th percentile time per device
 * @param phases mean milliseconds per device in each step: claim, download, install, report
 * @param reportCalls calls that carried results in groups ({@code POST /reports}); 0 when every
 *     result was reported singly
 * @param groupedResults results those calls carried
 */
public record RunSummary(
    int devices,
    int installed,
    int failed,
    Map<String, Integer> failures,
    int lines,
    double seconds,
    double rate,
    @JsonProperty("p50Ms") double p50Ms,
    @JsonProperty("p99Ms") double p99Ms,
    Map<String, Double> phases,
    long reportCalls,
    long groupedResults) {

  /** Computes the summary of {@code results} over {@code nanos} of wall-clock time. */
  public static RunSummary of(List<DeviceResult> results, int lines, long nanos) {
    return of(results, lines, nanos, 0, 0);
  }

  /** As {@link #of(List, int, long)}, with the grouped reports' figures. */
  public static RunSummary of(
      List<DeviceResult> results, int lines, long nanos, long reportCalls, long groupedResults) {
    int installed = 0;
    Map<String, Integer> failures = new TreeMap<>();
    for (DeviceResult r : results) {
      if (r.outcome() == DeviceResult.Outcome.INSTALLED) {
        installed++;
      } else {
        String key =
            r.outcome().name().toLowerCase() + (r.detail() == null ? "" : ":" + r.detail());
        failures.merge(key, 1, Integer::sum);
      }
    }
    long[] totals = results.stream().mapToLong(DeviceResult::totalNanos).sorted().toArray();
    double seconds = nanos / 1e9;
    Map<String, Double> phases = new TreeMap<>();
    phases.put("claim", meanMs(results, DeviceResult::claimNanos));
    phases.put("download", meanMs(results, DeviceResult::downloadNanos));
    phases.put("install", meanMs(results, DeviceResult::installNanos));
    phases.put("report", meanMs(results, DeviceResult::reportNanos));
    return new RunSummary(
        results.size(),
        installed,
        results.size() - installed,
        failures,
        lines,
        round(seconds),
        round(seconds > 0 ? results.size() / seconds : 0),
        round(percentile(totals, 50) / 1e6),
        round(percentile(totals, 99) / 1e6),
        phases,
        reportCalls,
        groupedResults);
  }

  /** Nearest-rank percentile of sorted values; 0 for none. */
  static long percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static double meanMs(List<DeviceResult> results, ToLongFunction<DeviceResult> f) {
    return round(results.stream().mapToLong(f).average().orElse(0) / 1e6);
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  /** One JSON line. */
  public String toJson() {
    try {
      return Json.MAPPER.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A few lines of text for people. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            "devices %d, installed %d, failed %d on %d line(s) in %.2f s: %.1f devices/s%n",
            devices, installed, failed, lines, seconds, rate));
    sb.append(String.format("per device: p50 %.1f ms, p99 %.1f ms%n", p50Ms, p99Ms));
    sb.append("mean per device:");
    phases.forEach((k, v) -> sb.append(String.format(" %s %.2f ms", k, v)));
    sb.append(System.lineSeparator());
    if (reportCalls > 0) {
      sb.append(
          String.format(
              "reports in groups: %d results in %d calls, %.1f per call%n",
              groupedResults, reportCalls, (double) groupedResults / reportCalls));
    }
    if (!failures.isEmpty()) {
      sb.append("failures: ").append(failures).append(System.lineSeparator());
    }
    return sb.toString();
  }
}
