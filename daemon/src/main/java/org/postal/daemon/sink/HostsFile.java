// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.postal.daemon.lists.ListFile;

/**
 * The -r "reverse DNS" file: /etc/hosts lines naming the greeting host for each local address,
 * read within {@link ListFile}'s bounds.
 */
final class HostsFile {

    private HostsFile() {
    }

    /** Reads {@code address name [aliases] [# comment]} lines; the first name of an address wins. */
    static Map<InetAddress, String> load(Path file) throws IOException {
        Map<InetAddress, String> names = new HashMap<>();
        for (ListFile.Line line : ListFile.read(file)) {
            int hash = line.text().indexOf('#');
            String[] fields = (hash < 0 ? line.text() : line.text().substring(0, hash)).trim().split("\\s+");
            if (fields[0].isEmpty()) {
                continue;
            }
            if (fields.length < 2) {
                throw line.error("expected \"address name\"");
            }
            if (!fields[0].matches("[0-9a-fA-F.:]+")) {
                throw line.error("not an IP address: \"" + ListFile.quote(fields[0]) + "\"");
            }
            InetAddress address;
            try {
                address = InetAddress.getByName(fields[0]);
            } catch (java.net.UnknownHostException e) {
                throw line.error("not an IP address: \"" + ListFile.quote(fields[0]) + "\"");
            }
            names.putIfAbsent(address, fields[1]);
        }
        return Map.copyOf(names);
    }
}
