// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** One GET of /metrics on loopback, and the samples of its text as "name{labels}" to value. */
public record Scrape(String text, Map<String, Double> samples) {

    public static Scrape of(int port) throws IOException, InterruptedException {
        HttpResponse<String> got = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (got.statusCode() != 200) {
            throw new IOException("HTTP " + got.statusCode());
        }
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : got.body().split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return new Scrape(got.body(), samples);
    }

    /** The value of {@code series} (name and labels exactly as exposed), or null. */
    public Double value(String series) {
        return samples.get(series);
    }
}
