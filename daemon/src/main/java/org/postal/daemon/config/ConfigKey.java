// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the config-file key a positional parameter stands for, such as {@code users} for
 * {@code --users}: when the parameter is given on the command line, the file's value of that key
 * gives way to it, as a flag's would.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface ConfigKey {

    /** The key, which is the long name of the option with the same meaning, without {@code --}. */
    String value();
}
