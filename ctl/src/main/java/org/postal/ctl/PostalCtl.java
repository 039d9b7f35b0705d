// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.postal.ctl.protocol.Command;
import org.postal.ctl.protocol.ControlClient;
import org.postal.ctl.protocol.ControlCodec;
import org.postal.ctl.protocol.ControlPaths;
import org.postal.ctl.protocol.Printable;
import org.postal.ctl.protocol.Request;
import org.postal.ctl.protocol.Response;

/**
 * postalctl: sends one control command to a running bhm, postal or rabid and prints the answer.
 *
 * <p>Read-only commands go to {@code NAME-status.sock} (anyone may use it), admin commands to
 * {@code NAME.sock} (group postal). Exit status 0 ok, 1 refused or not reachable, 2 usage.
 */
public final class PostalCtl {

    static final int OK = 0;
    static final int REFUSED = 1;
    static final int USAGE = 2;
    /** How long a one-shot command waits for its answer. */
    static final long TIMEOUT_MILLIS = 10_000;

    static final String USAGE_TEXT = """
            Usage: postalctl [OPTIONS] DAEMON COMMAND [ARG]
            Control a running bhm, postal or rabid through its socket in /run/postal.
              DAEMON                 the daemon's --name: bhm, postal, rabid or an instance name
            Commands (read-only, on DAEMON-status.sock):
              status                 state, uptime and what it is doing
              stats                  counters since start
              watch [INTERVAL]       a stats line per interval (default: the daemon's) until Ctrl-C
              config                 effective settings
            Commands (admin, on DAEMON.sock, group postal):
              pause | resume         stop and restart starting new messages or sessions (postal, rabid)
              rate N/s|N/min         change the rate (postal, rabid)
              set KEY=VALUE          change a run-time setting (bhm: fault.VERB=..., users=FILE, action.ADDR=a|d|r|g)
              reload                 re-read the config file
              reopen                 reopen the log files (after logrotate renamed them)
              transcript on|off      start or stop transcripts for new sessions
            """ + CtlOption.usage() + """

            Exit status: 0 ok, 1 refused or daemon unreachable, 2 usage error.""";

    /**
     * A parsed command line. {@code hosts}: the machines reached through ssh (none: this one);
     * {@code forwarded}: the socket options and --at given, passed on to each host's postalctl;
     * {@code at}: when to send (--at), or null for now.
     */
    record Invocation(boolean json, Path socket, Path controlDir, String daemon, Request request,
                      List<String> hosts, List<String> forwarded, Instant at) {

        Path target() {
            if (socket != null) {
                return socket;
            }
            return request.command().readOnly() ? ControlPaths.status(controlDir, daemon)
                    : ControlPaths.admin(controlDir, daemon);
        }
    }

    private PostalCtl() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one postalctl command line; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Invocation call;
        try {
            call = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("postalctl: " + Printable.escape(String.valueOf(e.getMessage())));
            err.println("Try 'postalctl --help' for more information.");
            return USAGE;
        }
        if (call == null) {
            out.println(USAGE_TEXT);
            return OK;
        }
        if (!call.hosts().isEmpty()) {
            long wait = call.at() == null ? 0 : StartAt.millisUntil(call.at(), Clock.systemUTC());
            return FleetCall.run(call, new Fleet(System.getenv()), TIMEOUT_MILLIS + wait, out, err);
        }
        if (call.at() != null && !waitUntil(call.at(), err)) {
            return REFUSED;
        }
        Path socket = call.target();
        try (ControlClient client = ControlClient.connect(socket)) {
            client.send(call.request());
            if (call.request().command() == Command.WATCH) {
                return watch(client, call, out, err);
            }
            Response response = client.receive(TIMEOUT_MILLIS);
            return print(response, call, out, err);
        } catch (IOException e) {
            err.println("postalctl: " + Printable.escape(unreachable(call, socket, e)));
            return REFUSED;
        }
    }

    /** Waits for --at; false (said on stderr) when the instant has passed or the wait was cut short. */
    private static boolean waitUntil(Instant at, PrintStream err) {
        try {
            if (StartAt.await(at, Clock.systemUTC())) {
                return true;
            }
            err.println("postalctl: --at " + at + " has passed: nothing sent");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("postalctl: interrupted while waiting for --at " + at + ": nothing sent");
        }
        return false;
    }

    private static int watch(ControlClient client, Invocation call, PrintStream out, PrintStream err)
            throws IOException {
        while (true) {
            Response response = client.receive(0);
            if (!response.ok()) {
                return print(response, call, out, err);
            }
            out.println(call.json() ? ControlCodec.encode(response) : HumanText.line(response.result()));
            out.flush();
        }
    }

    private static int print(Response response, Invocation call, PrintStream out, PrintStream err) {
        if (call.json()) {
            out.println(ControlCodec.encode(response));
        } else if (response.ok()) {
            out.println(HumanText.block(response.result()));
        } else {
            err.println("postalctl: " + call.daemon() + ": " + Printable.escape(response.error()));
        }
        return response.ok() ? OK : REFUSED;
    }

    /** Says why a socket could not be used, naming what would fix it. */
    static String unreachable(Invocation call, Path socket, IOException e) {
        String reason = String.valueOf(e.getMessage());
        boolean admin = !socket.getFileName().toString().endsWith("-status.sock");
        if (reason.contains("Permission denied")) {
            return "permission denied on " + socket + ": " + (admin
                    ? AccessAdvice.forAdmin(socket, call.daemon(), AccessAdvice.Identity.current(),
                            Selinux.host())
                    : AccessAdvice.forStatus(socket, AccessAdvice.Identity.current(), Selinux.host()));
        }
        if (!Files.exists(socket) || reason.contains("No such file")) {
            return call.daemon() + " is not running (no socket " + socket + ")";
        }
        if (reason.contains("Connection refused")) {
            return call.daemon() + " is not running (" + socket + " refuses connections: a stale socket)";
        }
        return call.daemon() + ": " + socket + ": " + reason;
    }

    /** Parses the command line; null means --help. IllegalArgumentException says what is wrong. */
    static Invocation parse(String[] args) {
        boolean json = false;
        boolean split = false;
        Instant at = null;
        Path socket = null;
        Path dir = ControlPaths.DEFAULT_DIR;
        List<String> words = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        List<String> forwarded = new ArrayList<>();
        boolean endOfOptions = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (endOfOptions || !arg.startsWith("-") || arg.equals("-")) {
                words.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                endOfOptions = true;
                continue;
            }
            String value = null;
            int eq = arg.indexOf('=');
            String option = arg;
            if (arg.startsWith("--") && eq > 0) {
                option = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            CtlOption known = CtlOption.of(option).orElseThrow(
                    () -> new IllegalArgumentException("unknown option \"" + arg + "\""));
            if (known.value() == null && value != null) {
                throw new IllegalArgumentException(option + " takes no value");
            }
            String needs = option + " needs a " + (known == CtlOption.SSH ? "host" : known == CtlOption.AT ? "time" : "path");
            if (known.value() != null && value == null) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(needs);
                }
                value = args[++i];
            }
            if (known.value() != null && value.isEmpty()) {
                throw new IllegalArgumentException(needs);
            }
            switch (known) {
                case HELP -> {
                    return null;
                }
                case JSON -> json = true;
                case SOCKET -> {
                    socket = Path.of(value);
                    forwarded.addAll(List.of(option, value));
                }
                case CONTROL_DIR -> {
                    dir = Path.of(value);
                    forwarded.addAll(List.of(option, value));
                }
                case SSH -> hosts.add(FleetCall.host(value));
                case SPLIT -> split = true;
                case AT -> {
                    at = StartAt.parse(value, Clock.systemUTC());
                    forwarded.addAll(List.of(option, at.toString()));
                }
                default -> throw new IllegalStateException(known.name());
            }
        }
        if (words.size() < 2) {
            throw new IllegalArgumentException(words.isEmpty() ? "no daemon named (bhm, postal or rabid)"
                    : "no command for " + words.get(0) + " (" + Arrays.stream(Command.values()).map(Command::word)
                    .collect(Collectors.joining(", ")) + ")");
        }
        String daemon = ControlPaths.checkName(words.get(0));
        Command command = Command.of(words.get(1)).orElseThrow(() -> new IllegalArgumentException(
                "unknown command \"" + words.get(1) + "\""));
        List<String> rest = words.subList(2, words.size());
        Request request;
        try {
            request = new Request(Request.VERSION, command, rest);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (usage: postalctl " + daemon + " " + command.word()
                    + (command.synopsis().isEmpty() ? "" : " " + command.synopsis()) + ")");
        }
        if (ControlCodec.encode(request).length() > ControlCodec.MAX_REQUEST_LINE) {
            throw new IllegalArgumentException("request longer than " + ControlCodec.MAX_REQUEST_LINE + " bytes");
        }
        if (!hosts.isEmpty() && command == Command.WATCH) {
            throw new IllegalArgumentException("watch streams from one daemon: it does not take --ssh");
        }
        if (at != null && command == Command.WATCH) {
            throw new IllegalArgumentException("--at sends one command at a time: watch does not take it");
        }
        if (split) {
            if (hosts.isEmpty() || command != Command.RATE) {
                throw new IllegalArgumentException("--split divides a rate among hosts: use it with --ssh and rate");
            }
            request = new Request(Request.VERSION, command, List.of(Merge.share(rest.get(0), hosts.size())));
        }
        return new Invocation(json, socket, dir, daemon, request, List.copyOf(hosts), List.copyOf(forwarded), at);
    }
}
