// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.dns;

import io.netty.handler.codec.dns.DnsResponseCode;

/** Response codes as dig and dnsperf print them (RFC 1035 section 4.1.1, RFC 6895 section 2.3). */
final class Rcodes {

    private static final String[] NAMES = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
        "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"};

    private Rcodes() {
    }

    static String name(DnsResponseCode code) {
        int n = code.intValue();
        return n >= 0 && n < NAMES.length ? NAMES[n] : "RCODE" + n;
    }
}
