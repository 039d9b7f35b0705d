// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.lists;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Optional;

/** The bounds RFC 5321 puts on an address, checked where a list or a request names one. */
public final class Addresses {

    /** RFC 5321 section 4.5.3.1.1: a local part is at most 64 octets. */
    public static final int MAX_LOCAL_PART = 64;
    /**
     * RFC 5321 section 4.5.3.1.3: a path is at most 256 octets including its angle brackets, so
     * the address inside is at most 254.
     */
    public static final int MAX_ADDRESS = 254;

    private Addresses() {
    }

    /**
     * What is wrong with an address (a login name without {@code @} counts as a local part), or
     * empty when it is within bounds and holds no blank or control character.
     */
    public static Optional<String> problem(String address) {
        if (address.isEmpty()) {
            return Optional.of("empty address");
        }
        if (address.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            return Optional.of("blank or control character in address \"" + ListFile.quote(address) + "\"");
        }
        int at = address.lastIndexOf('@');
        String local = at < 0 ? address : address.substring(0, at);
        if (local.getBytes(UTF_8).length > MAX_LOCAL_PART) {
            return Optional.of("local part of \"" + ListFile.quote(address) + "\" longer than " + MAX_LOCAL_PART
                    + " octets (RFC 5321 section 4.5.3.1.1)");
        }
        if (address.getBytes(UTF_8).length > MAX_ADDRESS) {
            return Optional.of("address \"" + ListFile.quote(address) + "\" longer than " + MAX_ADDRESS
                    + " octets (RFC 5321 section 4.5.3.1.3: a path is at most 256)");
        }
        return Optional.empty();
    }
}
