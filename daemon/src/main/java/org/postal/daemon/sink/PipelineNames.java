// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

/** Names of the handlers in a bhm session pipeline, in order from the socket inwards. */
final class PipelineNames {

    /** Counts every octet read from the socket (the 0.76 "data(K)" column). */
    static final String BYTES = "bytes";
    /** TLS, present from the start on the implicit-TLS listener and added by STARTTLS otherwise. */
    static final String TLS = "tls";
    /** In front of TLS: refuses client-initiated renegotiation. */
    static final String RENEGOTIATION = "renegotiation";
    /** The -z/-Z transcript of the plaintext session. */
    static final String TRANSCRIPT = "transcript";
    /** The pregreet trap, while the greeting is held back (GreetingGate). */
    static final String GREETING_GATE = GreetingGate.NAME;
    static final String DECODER = "decoder";
    static final String ENCODER = "encoder";
    static final String SESSION = "session";

    private PipelineNames() {
    }
}
