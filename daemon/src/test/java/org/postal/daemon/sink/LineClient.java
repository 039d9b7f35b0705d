// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A blocking SMTP client for socket tests: raw writes, whole replies, and a clear view of EOF. */
final class LineClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** The reply to RCPT TO:<recipient> in a fresh session on 127.0.0.1:port (after EHLO and MAIL). */
    static String rcpt(int port, String recipient) throws IOException {
        try (LineClient client = new LineClient(new InetSocketAddress("127.0.0.1", port))) {
            client.reply();
            client.command("EHLO test");
            client.command("MAIL FROM:<a@example.com>");
            return client.command("RCPT TO:<" + recipient + ">");
        }
    }

    /** The reply to {@code command} in a fresh session on 127.0.0.1:port (after EHLO). */
    static String dialogue(int port, String command) throws IOException {
        try (LineClient client = new LineClient(new InetSocketAddress("127.0.0.1", port))) {
            client.reply();
            client.command("EHLO test");
            return client.command(command);
        }
    }

    /** A client of {@code address} that first sends a PROXY v1 header announcing {@code client}. */
    static LineClient announcing(InetSocketAddress address, String client) throws IOException {
        LineClient c = new LineClient(address);
        String family = client.contains(":") ? "TCP6 " : "TCP4 ";
        String server = client.contains(":") ? "2001:db8::25" : "192.0.2.25";
        return c.raw("PROXY " + family + client + " " + server + " 40000 25\r\n");
    }

    LineClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 5000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    Socket socket() {
        return socket;
    }

    /** Sends {@code line} and CRLF. */
    LineClient send(String line) throws IOException {
        return raw(line + "\r\n");
    }

    LineClient raw(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    LineClient raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads one whole reply (all its lines); returns null at end of stream. */
    String reply() throws IOException {
        StringBuilder reply = new StringBuilder();
        while (true) {
            String line = line();
            if (line == null) {
                return reply.length() == 0 ? null : reply.toString();
            }
            reply.append(line).append('\n');
            if (line.length() < 4 || line.charAt(3) != '-') {
                return reply.toString().strip();
            }
        }
    }

    /** Sends a command and returns its reply. */
    String command(String line) throws IOException {
        send(line);
        return reply();
    }

    /** True when the server has closed the connection (reads EOF within the socket timeout). */
    boolean closedByServer() throws IOException {
        try {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (java.net.SocketException e) {
                b = -1;
            }
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
