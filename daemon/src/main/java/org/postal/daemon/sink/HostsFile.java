// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The -r "reverse DNS" file: /etc/hosts lines naming the greeting host for each local address. */
final class HostsFile {

    private HostsFile() {
    }

    /** Reads {@code address name [aliases] [# comment]} lines; the first name of an address wins. */
    static Map<InetAddress, String> load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<InetAddress, String> names = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String[] fields = (hash < 0 ? line : line.substring(0, hash)).trim().split("\\s+");
            if (fields[0].isEmpty()) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            if (fields.length < 2) {
                throw new IOException(where + "expected \"address name\"");
            }
            if (!fields[0].matches("[0-9a-fA-F.:]+")) {
                throw new IOException(where + "not an IP address: \"" + fields[0] + "\"");
            }
            InetAddress address;
            try {
                address = InetAddress.getByName(fields[0]);
            } catch (java.net.UnknownHostException e) {
                throw new IOException(where + "not an IP address: \"" + fields[0] + "\"");
            }
            names.putIfAbsent(address, fields[1]);
        }
        return Map.copyOf(names);
    }
}
