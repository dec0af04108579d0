// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line chart written as SVG by hand: latency percentiles (log scale, milliseconds) against
 * offered load (messages per second). No library, so the tool can draw its own figure for the docs.
 */
final class SvgPlot {
    /** One line of the chart. */
    record Series(String name, String colour, double[] y) {}

    /** A single labelled point, e.g. a target. */
    record Marker(double x, double y, String label) {}

    private static final int WIDTH = 760;
    private static final int HEIGHT = 460;
    private static final int LEFT = 80;
    private static final int RIGHT = 150;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;

    private SvgPlot() {}

    static String render(String title, String xLabel, String yLabel, double[] x, List<Series> series) {
        return render(title, xLabel, yLabel, x, series, List.of());
    }

    /**
     * Draws the chart. The y axis is logarithmic; the x axis too when x spans more than a factor of 20
     * (offered loads usually do), else linear from 0.
     */
    static String render(String title, String xLabel, String yLabel, double[] x, List<Series> series, List<Marker> markers) {
        double xMinPositive = Double.MAX_VALUE;
        for (double v : x) {
            if (v > 0) {
                xMinPositive = Math.min(xMinPositive, v);
            }
        }
        for (Marker mk : markers) {
            xMinPositive = Math.min(xMinPositive, mk.x());
        }
        double xMaxRaw = Math.max(max(x), markers.stream().mapToDouble(Marker::x).max().orElse(0));
        boolean logX = xMinPositive < Double.MAX_VALUE && xMaxRaw / xMinPositive > 20;
        double xMax = niceCeiling(xMaxRaw);
        double yMinRaw = Double.MAX_VALUE;
        double yMaxRaw = 0;
        for (Series s : series) {
            for (double v : s.y()) {
                if (v > 0) {
                    yMinRaw = Math.min(yMinRaw, v);
                    yMaxRaw = Math.max(yMaxRaw, v);
                }
            }
        }
        for (Marker mk : markers) {
            yMinRaw = Math.min(yMinRaw, mk.y());
            yMaxRaw = Math.max(yMaxRaw, mk.y());
        }
        if (yMaxRaw == 0) {
            yMinRaw = 0.1;
            yMaxRaw = 1;
        }
        int decadeLow = (int) Math.floor(Math.log10(yMinRaw));
        int decadeHigh = (int) Math.ceil(Math.log10(yMaxRaw));
        if (decadeHigh == decadeLow) {
            decadeHigh++;
        }
        int xDecadeLow = logX ? (int) Math.floor(Math.log10(xMinPositive)) : 0;
        int xDecadeHigh = logX ? (int) Math.ceil(Math.log10(xMaxRaw)) : 0;
        Scale sx = logX ? new Scale(xDecadeLow, xDecadeHigh, LEFT, WIDTH - RIGHT, true)
                : new Scale(0, xMax, LEFT, WIDTH - RIGHT, false);
        Scale sy = new Scale(decadeLow, decadeHigh, HEIGHT - BOTTOM, TOP, true);

        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(text(WIDTH / 2.0, 28, title, "middle", 15));
        // Grid and axis labels.
        for (int d = decadeLow; d <= decadeHigh; d++) {
            double y = sy.map(d);
            svg.append(line(LEFT, y, WIDTH - RIGHT, y, "#ccc"));
            svg.append(text(LEFT - 8, y + 4, decadeLabel(d), "end", 12));
            for (int k = 2; k < 10 && d < decadeHigh; k++) {
                double yy = sy.map(d + Math.log10(k));
                svg.append(line(LEFT, yy, WIDTH - RIGHT, yy, "#eee"));
            }
        }
        if (logX) {
            for (int d = xDecadeLow; d <= xDecadeHigh; d++) {
                for (int k = 1; k < 10 && (k == 1 || d < xDecadeHigh); k++) {
                    double xx = sx.at(Math.pow(10, d) * k);
                    svg.append(line(xx, TOP, xx, HEIGHT - BOTTOM, k == 1 ? "#ccc" : "#eee"));
                    if (k == 1 || k == 2 || k == 5) {
                        svg.append(text(xx, HEIGHT - BOTTOM + 18, number(Math.pow(10, d) * k), "middle", 12));
                    }
                }
            }
        } else {
            for (int i = 0; i <= 5; i++) {
                double v = xMax * i / 5;
                double xx = sx.at(v);
                svg.append(line(xx, TOP, xx, HEIGHT - BOTTOM, "#eee"));
                svg.append(text(xx, HEIGHT - BOTTOM + 18, number(v), "middle", 12));
            }
        }
        svg.append(line(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM, "#333"));
        svg.append(line(LEFT, TOP, LEFT, HEIGHT - BOTTOM, "#333"));
        svg.append(text((LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 18, xLabel, "middle", 13));
        svg.append(String.format(Locale.ROOT,
                "<text x=\"20\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"13\" transform=\"rotate(-90 20 %.1f)\">%s</text>%n",
                (TOP + HEIGHT - BOTTOM) / 2.0, (TOP + HEIGHT - BOTTOM) / 2.0, escape(yLabel)));
        // Series with markers, then the legend.
        int legendY = TOP + 10;
        for (Series s : series) {
            List<String> points = new ArrayList<>();
            for (int i = 0; i < x.length && i < s.y().length; i++) {
                if (s.y()[i] > 0) {
                    points.add(String.format(Locale.ROOT, "%.1f,%.1f", sx.at(x[i]), sy.at(s.y()[i])));
                }
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
                    s.colour(), String.join(" ", points)));
            for (String p : points) {
                String[] xy = p.split(",");
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%s\" cy=\"%s\" r=\"3.5\" fill=\"%s\"/>%n", xy[0], xy[1], s.colour()));
            }
            svg.append(line(WIDTH - RIGHT + 15, legendY, WIDTH - RIGHT + 40, legendY, s.colour(), 2));
            svg.append(text(WIDTH - RIGHT + 46, legendY + 4, s.name(), "start", 12));
            legendY += 20;
        }
        for (Marker mk : markers) {
            double mx = sx.at(mk.x());
            double my = sy.at(mk.y());
            svg.append(String.format(Locale.ROOT,
                    "<path d=\"M %.1f %.1f l 6 -6 l 6 6 l -6 6 z\" fill=\"none\" stroke=\"#000\" stroke-width=\"1.5\"/>%n",
                    mx - 6, my));
            svg.append(text(mx + 9, my - 8, mk.label(), "start", 11));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** Maps values to pixels; {@code log} scales take and map decades (log10 of the value). */
    private record Scale(double from, double to, double pixelFrom, double pixelTo, boolean log) {
        double map(double v) {
            return pixelFrom + (v - from) / (to - from) * (pixelTo - pixelFrom);
        }

        /** The pixel of a data value. */
        double at(double value) {
            return map(log ? Math.log10(value) : value);
        }
    }

    private static String line(double x1, double y1, double x2, double y2, String colour) {
        return line(x1, y1, x2, y2, colour, 1);
    }

    private static String line(double x1, double y1, double x2, double y2, String colour, int width) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%d\"/>%n",
                x1, y1, x2, y2, colour, width);
    }

    private static String text(double x, double y, String s, String anchor, int size) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x, y, anchor, size, escape(s));
    }

    private static String decadeLabel(int d) {
        double v = Math.pow(10, d);
        return d >= 0 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%." + (-d) + "f", v);
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static double max(double[] values) {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m == 0 ? 1 : m;
    }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code v}. */
    static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
