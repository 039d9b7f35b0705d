// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * The load generators' TLS client side: any certificate is accepted unless verification is
 * asked for, and then the certificate must also name the server (RFC 6125, as HTTPS checks it).
 */
public final class ClientTls {

    private final boolean verify;
    private final long handshakeMillis;
    private SslContext context;

    public ClientTls(boolean verify, Duration handshakeTimeout) {
        this.verify = verify;
        this.handshakeMillis = handshakeTimeout.toMillis();
    }

    /** Built on first use: most runs never speak TLS, and building it costs a noticeable start-up. */
    private synchronized SslContext context() throws SSLException {
        if (context == null) {
            SslContextBuilder builder = SslContextBuilder.forClient();
            if (!verify) {
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            }
            context = builder.build();
        }
        return context;
    }

    /** A handler for a new handshake with {@code remote} on {@code ch}. */
    public SslHandler handler(Channel ch, InetSocketAddress remote) {
        SslHandler handler;
        try {
            handler = context().newHandler(ch.alloc(), remote.getHostString(), remote.getPort());
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
        if (verify) {
            SSLParameters params = handler.engine().getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            handler.engine().setSSLParameters(params);
        }
        handler.setHandshakeTimeoutMillis(handshakeMillis);
        return handler;
    }
}
