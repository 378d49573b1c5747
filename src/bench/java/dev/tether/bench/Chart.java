package dev.tether.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * Draws time-to-first-token overhead percentiles (p50, p95, p99, max) of Tether's burst runs by
 * N, on a log scale, with java.awt in headless mode. Several runs of one N are drawn as their median.
 */
final class Chart {
    private static final String[] KEYS = {"p50_ms", "p95_ms", "p99_ms", "max_ms"};
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0xd62728)};
    private static final int W = 900;
    private static final int H = 540;
    private static final int L = 90;
    private static final int R = 160;
    private static final int T = 60;
    private static final int B = 70;

    private Chart() {}

    static void ttftOverhead(List<Map<String, Object>> results, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        TreeMap<Integer, List<double[]>> byN = new TreeMap<>();
        for (Map<String, Object> r : results) {
            if (r.get("scenario").equals("burst") && Scenarios.TETHER.equals(r.get("label"))
                    && r.get("ttft_overhead") instanceof Map<?, ?> t && t.get("p50_ms") != null) {
                double[] v = new double[KEYS.length];
                for (int i = 0; i < KEYS.length; i++) {
                    v[i] = ((Number) t.get(KEYS[i])).doubleValue();
                }
                byN.computeIfAbsent((Integer) r.get("n"), k -> new ArrayList<>()).add(v);
            }
        }
        if (byN.isEmpty()) {
            return;
        }
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        List<Integer> ns = new ArrayList<>(byN.keySet());
        List<double[]> medians = ns.stream().map(n -> median(byN.get(n))).toList();
        double lo = 0.1;
        double hi = 1;
        for (double[] m : medians) {
            for (double v : m) {
                hi = Math.max(hi, v);
            }
        }
        double top = Math.pow(10, Math.ceil(Math.log10(hi)));
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Tether burst: time to first token minus the model's own delay", L, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        // grid and y labels (log scale)
        for (double d = lo; d <= top * 1.0001; d *= 10) {
            int y = y(d, lo, top);
            g.setColor(new Color(0xdddddd));
            g.drawLine(L, y, W - R, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(label(d) + " ms", 10, y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawLine(L, T, L, H - B);
        g.drawLine(L, H - B, W - R, H - B);
        for (int i = 0; i < ns.size(); i++) {
            int x = x(i, ns.size());
            g.drawString("N = " + ns.get(i), x - 25, H - B + 20);
        }
        g.drawString("simultaneous chat starts (overhead = client TTFT minus the fake model's first-token delay)", L + 60, H - 25);
        g.setStroke(new BasicStroke(2.5f));
        for (int k = 0; k < KEYS.length; k++) {
            g.setColor(COLORS[k]);
            int px = -1;
            int py = -1;
            for (int i = 0; i < ns.size(); i++) {
                int x = x(i, ns.size());
                int y = y(Math.max(lo, medians.get(i)[k]), lo, top);
                g.fillOval(x - 4, y - 4, 8, 8);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.fillRect(W - R + 20, T + 20 + k * 24, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(KEYS[k].replace("_ms", ""), W - R + 42, T + 32 + k * 24);
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static double[] median(List<double[]> runs) {
        double[] out = new double[KEYS.length];
        for (int k = 0; k < KEYS.length; k++) {
            int kk = k;
            double[] v = runs.stream().mapToDouble(r -> r[kk]).sorted().toArray();
            out[k] = v[v.length / 2];
        }
        return out;
    }

    private static int x(int i, int count) {
        return count == 1 ? (L + W - R) / 2 : L + 40 + i * (W - R - L - 80) / (count - 1);
    }

    private static int y(double v, double lo, double hi) {
        double f = (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
        return (int) Math.round(H - B - f * (H - B - T));
    }

    private static String label(double d) {
        return d < 1 ? String.valueOf(d) : String.valueOf((long) d);
    }
}
