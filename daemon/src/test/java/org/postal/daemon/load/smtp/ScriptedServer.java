// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A one-command-at-a-time SMTP server on a loopback port whose answers a test scripts per
 * connection, to make the misbehaviour (a 421, silence, a dropped connection) that bhm never shows.
 * Commands reach the script as their upper-case verb, the banner as {@code CONNECT} and the end
 * of data as {@code .}; {@link #normal} is what a well-behaved server answers.
 */
final class ScriptedServer implements AutoCloseable {

    /** What the server does about one command: write {@code text} (CRLF lines, or null for nothing), then maybe close. */
    record Answer(String text, boolean close) {
        static final Answer SILENCE = new Answer(null, false);
        static final Answer CLOSE = new Answer(null, true);

        static Answer reply(String text) {
            return new Answer(text + "\r\n", false);
        }

        static Answer replyAndClose(String text) {
            return new Answer(text + "\r\n", true);
        }
    }

    /** The answer to {@code command} on the {@code connection}th connection (0 for the first). */
    interface Script {
        Answer answer(int connection, String command);
    }

    /** How long a connection may sit idle before the server gives up on it (tests end sooner). */
    private static final int IDLE_MILLIS = 30_000;

    private final ServerSocket server;
    private final Script script;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger messages = new AtomicInteger();

    ScriptedServer(Script script) throws IOException {
        this.script = script;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "scripted-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** What a well-behaved server answers, offering no extensions. */
    static Answer normal(String command) {
        return switch (command) {
            case "CONNECT" -> Answer.reply("220 scripted ESMTP");
            case "EHLO", "HELO" -> Answer.reply("250 scripted");
            case "MAIL", "RCPT", "RSET" -> Answer.reply("250 2.0.0 Ok");
            case "DATA" -> Answer.reply("354 End data with <CR><LF>.<CR><LF>");
            case "." -> Answer.reply("250 2.0.0 Ok: queued");
            case "QUIT" -> Answer.replyAndClose("221 2.0.0 Bye");
            default -> Answer.reply("502 5.5.2 Error: command not recognized");
        };
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    /** Messages whose end of data arrived, answered or not. */
    int messages() {
        return messages.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                int number = connections.getAndIncrement();
                Thread session = new Thread(() -> serve(socket, number), "scripted-smtp-" + number);
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket, int number) {
        try (socket) {
            socket.setSoTimeout(IDLE_MILLIS);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            boolean data = false;
            for (String line = "CONNECT"; line != null; line = in.readLine()) {
                String command;
                if (data) {
                    if (!line.equals(".")) {
                        continue;
                    }
                    data = false;
                    messages.incrementAndGet();
                    command = ".";
                } else {
                    int blank = line.indexOf(' ');
                    command = (blank < 0 ? line : line.substring(0, blank)).toUpperCase(Locale.ROOT);
                }
                Answer answer = script.answer(number, command);
                if (answer.text() != null) {
                    out.write(answer.text().getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    data = answer.text().startsWith("354");
                }
                if (answer.close()) {
                    return;
                }
            }
        } catch (SocketTimeoutException e) {
            // the client went quiet for IDLE_MILLIS: drop it
        } catch (IOException e) {
            // the client reset the connection (postal closes with SO_LINGER 0)
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
