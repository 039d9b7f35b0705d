// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.SSLException;

/** Server TLS contexts: from PEM files, or a self-signed certificate made at start-up. */
final class TlsContexts {

    /** A context and the certificate it presents. */
    record Server(SslContext context, X509Certificate certificate, boolean selfSigned) {
        /** SHA-256 over the DER certificate, colon-separated, as openssl x509 -fingerprint prints it. */
        String fingerprint() {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
                return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
            } catch (NoSuchAlgorithmException | java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private TlsContexts() {
    }

    static Server fromPem(Path certificate, Path key) throws IOException {
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(certificate)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (CertificateException e) {
            throw new IOException(certificate + ": not a PEM certificate: " + e.getMessage());
        }
        try {
            return new Server(SslContextBuilder.forServer(certificate.toFile(), key.toFile()).build(), cert, false);
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException(key + ": cannot use this certificate and key: " + e.getMessage());
        }
    }

    static Server selfSigned(String hostname) throws IOException {
        try {
            SelfSignedCertificate ssc = new SelfSignedCertificate(hostname);
            SslContext context = SslContextBuilder.forServer(ssc.key(), ssc.cert()).build();
            X509Certificate cert = ssc.cert();
            ssc.delete();
            return new Server(context, cert, true);
        } catch (CertificateException e) {
            throw new IOException("cannot make a self-signed certificate: " + e.getMessage(), e);
        }
    }
}
