# SPDX-License-Identifier: GPL-3.0-or-later
"""Recompute the X-PostalHash of every message a sink captured, with tests/tools/postalhash.py.

  capture.py mbox FILE [options]      bhm -a's bhm.log (mboxrd)
  capture.py dumps DIR [options]      smtp-sink -d's dump files, one message each
  capture.py transcripts FILE... [options]
                                      postal -z/-Z transcripts: the messages sent after 354

Options:
  --hash md5|md5-lp64|auto   digests accepted (default auto: either)
  --postal-log FILE          postal.log: its hashes must be exactly those captured
  --tamper                   also change one body byte of the first message and check that the
                             digest no longer matches (proves the check can fail)

Prints key=value lines: messages, verified, mismatched, unsigned, md5, md5_lp64,
lost_last_empty_line (mismatches that would match with one more CR LF at the end), and with
--postal-log: log_lines, log_only (in postal.log, never captured), captured_only (captured,
not in postal.log); with --tamper: tamper_detected=1|0; with transcripts: final_250 (final
replies "250 2.0.0 Ok: queued" read after the data). The first mismatches go to stderr.
Exit status 0 unless the input cannot be read.

Both bhm.log and smtp-sink dumps store LF line ends; postal sends CR LF and no bare LF, so the
original message is the stored one with each LF turned back into CR LF, minus the one empty line
the sink writes after each message. Headers the sinks add before the message (X-Bhm-Envelope,
smtp-sink's X-Client-*, X-Mail-Args, Received:) start with none of the signed prefixes.
"""
import collections
import glob
import hashlib
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import postalhash  # noqa: E402  (tests/tools/postalhash.py, stdlib only)


def from_lf(stored):
    """A message stored with LF line ends and one trailing empty line, back to CR LF."""
    if stored.endswith(b"\n\n"):
        stored = stored[:-1]
    return stored.replace(b"\n", b"\r\n")


def mbox_messages(path):
    data = open(path, "rb").read()
    if not data:
        return []
    if not data.startswith(b"From "):
        raise SystemExit(f"{path}: does not start with a From_ line")
    out = []
    # Every message is followed by one empty separator line. Splitting at "\nFrom " takes that
    # line's LF with it, so each chunk but the last is exactly the message; the last one still
    # ends in the separator's LF.
    if not data.endswith(b"\n"):
        raise SystemExit(f"{path}: does not end with the separator line")
    for chunk in (b"\n" + data[:-1]).split(b"\nFrom ")[1:]:
        lines = chunk.split(b"\n")[1:]          # drop the From_ line
        # mboxrd: a line ">From ", ">>From ", ... lost one ">" when it was written.
        lines = [l[1:] if re.match(rb"^>+From ", l) else l for l in lines]
        out.append(b"\n".join(lines).replace(b"\n", b"\r\n"))
    return out


def dump_messages(directory):
    files = sorted(f for f in glob.glob(os.path.join(directory, "**", "*"), recursive=True)
                   if os.path.isfile(f))
    return [from_lf(open(f, "rb").read()) for f in files]


QUEUED = b"250 2.0.0 Ok: queued"


def transcript_messages(paths):
    """Each message postal wrote after a 354, up to its CR LF . CR LF; and the final 250s."""
    msgs, finals = [], 0
    for path in paths:
        data = open(path, "rb").read()
        for m in re.finditer(rb"(?m)^354 [^\r\n]*\r\n", data):
            end = data.find(b"\r\n.\r\n", m.end())
            if end < 0:
                continue
            # With pipelining the MAIL/RCPT/DATA replies come after the commands, so the
            # message follows the 354 line directly; the headers start with "From: ".
            start = data.find(b"From: ", m.end(), end)
            if start < 0:
                continue
            msgs.append(data[start:end + 2])
        finals += len(re.findall(rb"(?m)^" + re.escape(QUEUED), data))
    return msgs, finals


def log_hashes(path):
    hashes = collections.Counter()
    with open(path, "rb") as f:
        for line in f:
            m = re.match(rb"^([0-9a-f]{32}) <", line)
            if m:
                hashes[m.group(1).decode()] += 1
    return hashes


def check(messages, mode):
    counts = collections.Counter()
    captured = collections.Counter()
    bad = []
    for i, msg in enumerate(messages):
        data, claimed = postalhash.signed_input(msg)
        counts["messages"] += 1
        if claimed is None:
            counts["unsigned"] += 1
            continue
        claimed = claimed.lower()
        captured[claimed] += 1
        ok = None
        if mode in ("md5", "auto") and hashlib.md5(data).hexdigest() == claimed:
            ok = "md5"
        elif mode in ("md5-lp64", "auto") and postalhash.md5_lp64(data) == claimed:
            ok = "md5_lp64"
        if ok:
            counts["verified"] += 1
            counts[ok] += 1
        else:
            counts["mismatched"] += 1
            # Diagnosis only: would the digest match had the capture kept one more empty line
            # at the end of the body?
            more = data + b"\r\n"
            if claimed in (hashlib.md5(more).hexdigest(), postalhash.md5_lp64(more)):
                counts["lost_last_empty_line"] += 1
                bad.append(f"message {i}: X-PostalHash {claimed} matches only with one more empty "
                           f"line at the end of the body: the capture dropped it")
            else:
                bad.append(f"message {i}: X-PostalHash {claimed} does not match")
    return counts, captured, bad


def tampered(msg):
    head, sep, body = msg.partition(b"\r\n\r\n")
    for i, c in enumerate(body):
        if c not in b"\r\n":
            return head + sep + body[:i] + bytes([c ^ 0x01]) + body[i + 1:]
    return head.replace(b"Subject: ", b"Subject: x", 1) + sep + body


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    kind, args = argv[1], argv[2:]
    mode, plog, tamper, inputs = "auto", None, False, []
    it = iter(args)
    for a in it:
        if a == "--hash":
            mode = next(it, "")
        elif a == "--postal-log":
            plog = next(it, None)
        elif a == "--tamper":
            tamper = True
        else:
            inputs.append(a)
    if mode not in ("md5", "md5-lp64", "auto") or not inputs:
        raise SystemExit(__doc__)
    finals = None
    if kind == "mbox":
        messages = mbox_messages(inputs[0])
    elif kind == "dumps":
        messages = dump_messages(inputs[0])
    elif kind == "transcripts":
        messages, finals = transcript_messages(inputs)
    else:
        raise SystemExit(__doc__)
    counts, captured, bad = check(messages, mode)
    for k in ("messages", "verified", "mismatched", "unsigned", "md5", "md5_lp64", "lost_last_empty_line"):
        print(f"{k}={counts[k]}")
    if finals is not None:
        print(f"final_250={finals}")
    if plog:
        logged = log_hashes(plog)
        print(f"log_lines={sum(logged.values())}")
        print(f"log_only={sum((logged - captured).values())}")
        print(f"captured_only={sum((captured - logged).values())}")
    if tamper:
        detected = 0
        if messages:
            t_counts, _, _ = check([tampered(messages[0])], mode)
            detected = 1 if t_counts["mismatched"] == 1 else 0
        print(f"tamper_detected={detected}")
    for line in bad[:5]:
        print(line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
