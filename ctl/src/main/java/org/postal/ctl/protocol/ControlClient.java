// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl.protocol;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The client end of a control socket: JDK {@link SocketChannel} over {@link UnixDomainSocketAddress},
 * one request line out, response lines in, each bounded by {@link ControlCodec#MAX_RESPONSE_LINE}.
 */
public final class ControlClient implements AutoCloseable {

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private byte[] line = new byte[1024];
    private int lineLength;

    private ControlClient(SocketChannel channel, Selector selector) {
        this.channel = channel;
        this.selector = selector;
    }

    /**
     * Connects to a socket file.
     *
     * @throws IOException as the JDK reports it (missing file, permission denied, refused)
     */
    public static ControlClient connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            Selector selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            return new ControlClient(channel, selector);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** Sends one request line. */
    public void send(Request request) throws IOException {
        ByteBuffer out = ByteBuffer.wrap((ControlCodec.encode(request) + "\n").getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) {
                selector.select(100);
            }
        }
    }

    /**
     * Reads the next response.
     *
     * @param timeoutMillis how long to wait for the whole line; 0 waits for ever
     * @throws IOException on a timeout, a closed connection or an unreadable line
     */
    public Response receive(long timeoutMillis) throws IOException {
        long deadline = timeoutMillis == 0 ? Long.MAX_VALUE : System.nanoTime() / 1_000_000 + timeoutMillis;
        while (true) {
            String text = takeLine();
            if (text != null) {
                try {
                    return ControlCodec.decodeResponse(text);
                } catch (ProtocolException e) {
                    throw new IOException("bad response: " + e.getMessage());
                }
            }
            long left = deadline == Long.MAX_VALUE ? 0 : deadline - System.nanoTime() / 1_000_000;
            if (deadline != Long.MAX_VALUE && left <= 0) {
                throw new IOException("no response within " + timeoutMillis + " ms");
            }
            selector.select(left);
            selector.selectedKeys().clear();
            int n = channel.read(in);
            if (n < 0) {
                throw new IOException("the daemon closed the connection");
            }
        }
    }

    /** One request, one response. */
    public Response call(Request request, long timeoutMillis) throws IOException {
        send(request);
        return receive(timeoutMillis);
    }

    private String takeLine() throws IOException {
        in.flip();
        try {
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') {
                    String text = decode(line, lineLength);
                    lineLength = 0;
                    return text;
                }
                if (lineLength == ControlCodec.MAX_RESPONSE_LINE) {
                    throw new IOException("response line longer than " + ControlCodec.MAX_RESPONSE_LINE + " bytes");
                }
                if (lineLength == line.length) {
                    line = java.util.Arrays.copyOf(line, Math.min(ControlCodec.MAX_RESPONSE_LINE, line.length * 2));
                }
                line[lineLength++] = b;
            }
            return null;
        } finally {
            in.compact();
        }
    }

    private static String decode(byte[] bytes, int length) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("response is not UTF-8");
        }
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
