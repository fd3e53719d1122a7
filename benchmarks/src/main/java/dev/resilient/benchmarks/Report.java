package dev.resilient.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the README's Performance table from JMH's CSV results (one file per thread count): for
 * every subject its time, error, allocation per call, and its ratio to the direct call and to the
 * two peers in the same row family. Numbers are copied from the run, never typed in.
 */
public final class Report {
    private record Row(String family, String subject, double score, double error, double bytes) {}

    /** One CSV file: the rows of one thread count. */
    private record Run(int threads, Map<String, Row> rows) {}

    private Report() {}

    public static void main(String[] args) throws IOException {
        for (String file : args) {
            Run run = read(Path.of(file));
            Map<String, Row> rows = run.rows();
            System.out.printf("%n%s%n%n", run.threads() == 1
                    ? "**1 thread**"
                    : "**" + run.threads() + " threads** (wrappers shared by the threads)");
            System.out.println("| benchmark | subject | ns/op | ± | B/op | × direct | vs Resilience4j | vs Failsafe |");
            System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
            Row direct = rows.get("SuccessPath.direct");
            for (Row row : rows.values()) {
                Row familyDirect = rows.getOrDefault(row.family() + ".direct", direct);
                Row r4j = peer(rows, row, "resilience4j");
                Row failsafe = peer(rows, row, "failsafe");
                System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.0f | %s | %s | %s |%n",
                        row.family(), row.subject(), row.score(), row.error(), row.bytes(),
                        ratio(row, familyDirect), speedup(row, r4j), speedup(row, failsafe));
            }
        }
    }

    /**
     * The peer a subject is compared with: the one configured alike ({@code resilientTimeBreaker}
     * beside {@code resilience4jTimeBreaker}), else the family's retry and breaker.
     */
    private static Row peer(Map<String, Row> rows, Row row, String library) {
        String alike = row.family() + "." + library + row.subject().replaceFirst("^resilient", "");
        return rows.getOrDefault(alike, rows.get(row.family() + "." + library + "RetryAndBreaker"));
    }

    /** How many times slower than the direct call. */
    private static String ratio(Row row, Row direct) {
        return direct == null ? "" : String.format(Locale.ROOT, "%.1f", row.score() / direct.score());
    }

    /**
     * How many times faster than the peer (below 1: slower); only our subjects are compared, not
     * the peers with each other nor the reference points ({@code direct}, {@code clockReading}...).
     */
    private static String speedup(Row row, Row peer) {
        if (peer == null || !row.subject().startsWith("resilient")) {
            return "";
        }
        return String.format(Locale.ROOT, "%.1f× faster", peer.score() / row.score());
    }

    private static Run read(Path csv) throws IOException {
        Map<String, Double> bytes = new LinkedHashMap<>();
        List<String[]> primary = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            String[] cells = split(line);
            if (cells.length < 7 || cells[0].equals("Benchmark")) {
                continue;
            }
            String name = cells[0].replace("dev.resilient.benchmarks.", "");
            if (name.endsWith(":gc.alloc.rate.norm")) {
                bytes.put(name.substring(0, name.indexOf(':')), Double.parseDouble(cells[4]));
            } else if (!name.contains(":")) {
                primary.add(cells);
            }
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        int threads = 0;
        for (String[] cells : primary) {
            threads = Integer.parseInt(cells[2]);
            String name = cells[0].replace("dev.resilient.benchmarks.", "");
            String[] parts = name.split("\\.", 2);
            double error = cells[5].isEmpty() || cells[5].equals("NaN") ? Double.NaN : Double.parseDouble(cells[5]);
            rows.put(name, new Row(parts[0], parts[1], Double.parseDouble(cells[4]), error, bytes.getOrDefault(name, Double.NaN)));
        }
        return new Run(threads, rows);
    }

    /** One CSV line of JMH's: quoted cells, commas between. */
    private static String[] split(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells.toArray(new String[0]);
    }
}
