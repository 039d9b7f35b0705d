// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.postal.daemon.lists.ListFile;
import org.postal.daemon.smtp.Reply;

/**
 * DNSBL-style verdicts by client address, from a list file, as a real MTA gets them from
 * {@code reject_rbl_client} or postscreen: a listed client is refused at connect, at RCPT or after
 * DATA, with the entry's reply. Lines are
 * <pre>
 *   line    = network [ SP stage ] [ SP code SP text ]   ; or blank, or "#" comment
 *   network = IPv4 / IPv6 [ "/" prefix-length ]
 *   stage   = "connect" / "rcpt" / "data"                ; default: the list's default stage
 *   code    = 400..599                                   ; default 554 (postscreen's and smtpd's)
 * </pre>
 * The first entry that contains the client's address decides; a client announced by a trusted
 * PROXY header is looked up by its announced address.
 *
 * @param file         where the list was read from (null: the empty list)
 * @param defaultStage the stage of entries that name none
 */
record BlockList(Path file, Stage defaultStage, List<Entry> entries) {

    /** Where a listed client is refused. */
    enum Stage { CONNECT, RCPT, DATA }

    static final BlockList EMPTY = new BlockList(null, Stage.RCPT, List.of());
    /** Entries a list may hold; each lookup reads them in order. */
    static final int MAX_ENTRIES = 100_000;

    /** One line: a network, its stage (null: the list's default) and its reply. */
    record Entry(byte[] network, int prefix, Stage stage, Reply reply) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            return rest == 0 || ((address[whole] ^ network[whole]) & (0xff << (8 - rest)) & 0xff) == 0;
        }
    }

    BlockList {
        entries = List.copyOf(entries);
        java.util.Objects.requireNonNull(defaultStage, "defaultStage");
    }

    /** Reads a list; an error names the file and line. */
    static BlockList load(Path file, Stage defaultStage) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (ListFile.Line line : ListFile.read(file)) {
            String text = line.text().strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            if (entries.size() == MAX_ENTRIES) {
                throw line.error("more than " + MAX_ENTRIES + " entries");
            }
            entries.add(entry(text, line));
        }
        return new BlockList(file, defaultStage, entries);
    }

    private static Entry entry(String text, ListFile.Line line) throws IOException {
        String[] words = text.split("[ \t]+", 2);
        String network = words[0];
        String rest = words.length > 1 ? words[1] : "";
        int slash = network.indexOf('/');
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(slash < 0 ? network : network.substring(0, slash));
        if (bytes == null) {
            throw line.error("\"" + ListFile.quote(network) + "\" is not an IPv4 or IPv6 address or network");
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            String bits = network.substring(slash + 1);
            if (!bits.matches("[0-9]{1,3}") || Integer.parseInt(bits) > prefix) {
                throw line.error("bad prefix length in \"" + ListFile.quote(network) + "\"");
            }
            prefix = Integer.parseInt(bits);
        }
        Stage stage = null;
        String[] next = rest.split("[ \t]+", 2);
        for (Stage s : Stage.values()) {
            if (next[0].equalsIgnoreCase(s.name())) {
                stage = s;
                rest = next.length > 1 ? next[1] : "";
            }
        }
        Reply reply = Reply.of(554, "5.7.1 Service unavailable; client [" + network + "] blocked using bhm's list");
        if (!rest.isEmpty()) {
            if (!rest.matches("[45][0-9][0-9]( .*)?")) {
                throw line.error("expected \"network [connect|rcpt|data] [CODE TEXT]\" with a code 400..599, found \""
                        + ListFile.quote(rest) + "\"");
            }
            reply = Reply.of(Integer.parseInt(rest.substring(0, 3)), rest.length() > 4 ? rest.substring(4) : "");
        }
        return new Entry(bytes, prefix, stage, reply);
    }

    /** The first entry listing {@code client}, or null. */
    Entry find(InetAddress client) {
        if (client == null || entries.isEmpty()) {
            return null;
        }
        byte[] address = client.getAddress();
        for (Entry entry : entries) {
            if (entry.contains(address)) {
                return entry;
            }
        }
        return null;
    }

    /** Where {@code entry} is refused. */
    Stage stage(Entry entry) {
        return entry.stage() != null ? entry.stage() : defaultStage;
    }

    /** The same list read again from its file (a reload), or this one when it has no file. */
    BlockList reread() throws IOException {
        return file == null ? this : load(file, defaultStage);
    }

    static Stage stage(String text) {
        for (Stage s : Stage.values()) {
            if (s.name().equalsIgnoreCase(text.strip())) {
                return s;
            }
        }
        throw new IllegalArgumentException("dnsbl-stage takes connect, rcpt or data: \"" + text + "\"");
    }

    /** As {@code config} shows it. */
    String describe() {
        return file == null ? "none" : file + " (" + entries.size() + " entries, default stage "
                + defaultStage.name().toLowerCase(Locale.ROOT) + ")";
    }
}
