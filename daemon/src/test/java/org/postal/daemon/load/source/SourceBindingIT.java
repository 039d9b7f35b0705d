// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.source;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postal.daemon.service.Transports;

/** Real loopback sockets: bound sources, a PROXY header on the wire, refused sources counted. */
class SourceBindingIT {

    private final EventLoopGroup group = Transports.group(1);
    private final ServerSocket server = listen();

    {
        try {
            server.setSoTimeout(10_000);
        } catch (java.net.SocketException e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void close() throws Exception {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private static ServerSocket listen() {
        try {
            return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private ChannelFuture connect(SourceAddresses sources, SourceBinding binding) {
        InetSocketAddress remote = (InetSocketAddress) server.getLocalSocketAddress();
        InetSocketAddress local = sources.bind(remote);
        Channel ch = Transports.newClient(remote);
        group.next().register(ch).syncUninterruptibly();
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter());
        binding.prepare(ch, local);
        ChannelFuture connected = local == null ? ch.connect(remote) : ch.connect(remote, local);
        binding.watch(connected, local);
        // Listeners run in the order they were added: once this one has run, the binding's has too.
        java.util.concurrent.CountDownLatch watched = new java.util.concurrent.CountDownLatch(1);
        connected.addListener(f -> watched.countDown());
        try {
            assertThat(watched.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return connected;
    }

    private static SourceAddresses sources(String list, Announce how) {
        return new SourceAddresses(new SourceRanges(SourceRanges.parse(list)), Permutation.Order.SEQUENTIAL, 0,
                false, how);
    }

    @Test
    void eachConnectionComesFromTheNextAddressOfTheRange() throws Exception {
        SourceAddresses sources = sources("127.7.0.1-127.7.0.40", Announce.NONE);
        SourceBinding binding = new SourceBinding(sources);
        Set<InetAddress> peers = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            ChannelFuture f = connect(sources, binding);
            assertThat(f.isSuccess()).isTrue();
            try (Socket accepted = server.accept()) {
                peers.add(accepted.getInetAddress());
            }
            f.channel().close().sync();
        }
        assertThat(peers).hasSize(40).allMatch(a -> a.getHostAddress().startsWith("127.7.0."));
    }

    @Test
    void announcedAddressesGoInAProxyHeaderBeforeAnythingElse() throws Exception {
        SourceAddresses sources = sources("192.0.2.7,2001:db8::9", Announce.PROXY_V1);
        SourceBinding binding = new SourceBinding(sources);
        int port = server.getLocalPort();
        String[] expected = {"PROXY TCP4 192.0.2.7 127.0.0.1 ", "PROXY TCP6 2001:db8::9 ::ffff:127.0.0.1 "};
        for (String start : expected) {
            ChannelFuture f = connect(sources, binding);
            assertThat(f.isSuccess()).isTrue();
            int sourcePort = ((InetSocketAddress) f.channel().localAddress()).getPort();
            try (Socket accepted = server.accept()) {
                assertThat(line(accepted.getInputStream())).isEqualTo(start + sourcePort + " " + port + "\r\n");
            }
            f.channel().close().sync();
        }
    }

    @Test
    void aVersion2HeaderCarriesTheSignatureAndAddress() throws Exception {
        SourceAddresses sources = sources("198.51.100.3", Announce.PROXY_V2);
        ChannelFuture f = connect(sources, new SourceBinding(sources));
        try (Socket accepted = server.accept()) {
            byte[] header = accepted.getInputStream().readNBytes(16 + 12);
            assertThat(new String(header, 0, 12, java.nio.charset.StandardCharsets.ISO_8859_1))
                    .isEqualTo("\r\n\r\n\0\r\nQUIT\n");
            assertThat(header[12]).isEqualTo((byte) 0x21); // version 2, PROXY
            assertThat(header[13]).isEqualTo((byte) 0x11); // TCP over IPv4
            assertThat(new byte[] {header[16], header[17], header[18], header[19]})
                    .isEqualTo(InetAddress.getByName("198.51.100.3").getAddress());
        }
        f.channel().close().sync();
    }

    @Test
    void aSourceThisHostDoesNotHoldIsCountedAsEaddrnotavail() {
        // A documentation address (RFC 5737): the kernel refuses it before a packet is sent.
        SourceAddresses sources = sources("192.0.2.1", Announce.NONE);
        SourceBinding binding = new SourceBinding(sources);
        ChannelFuture f = connect(sources, binding);
        assertThat(f.isSuccess()).isFalse();
        assertThat(BindFault.code(f.cause(), "refused")).isEqualTo("EADDRNOTAVAIL");
        assertThat(binding.faults(BindFault.EADDRNOTAVAIL)).isEqualTo(1);
    }

    private static String line(InputStream in) throws java.io.IOException {
        StringBuilder text = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            text.append((char) c);
            if (c == '\n') {
                break;
            }
        }
        return new String(text.toString().getBytes(US_ASCII), US_ASCII);
    }
}
