# SPDX-License-Identifier: GPL-3.0-or-later
"""Answer mixes of DNS runs, for tests/interop/dns and bench/dns.sh.

  dnsmix.py expect ZONECONF QUERIES     the mix Unbound must give: NOERROR where the name has
                                        data or lies above a name that has (an empty
                                        non-terminal), NXDOMAIN elsewhere in a static zone
  dnsmix.py dnsperf VERBOSE_OUTPUT      the mix dnsperf -v saw ("> RCODE name TYPE seconds")
  dnsmix.py ours JSON_OUTPUT            the mix postal-dns --json counted (its "total" line)
  dnsmix.py latency FILE KIND P         percentile P in ms over all answers: KIND dnsperf
                                        (per-answer latencies of -v) or ours (the worst
                                        type's P from the total line)
  dnsmix.py field JSON_OUTPUT NAME      a field of postal-dns's total line

A mix prints as sorted "TYPE/RCODE=N" words on one line, so two mixes compare as strings.
The oracle reads only the zone's own local-data lines: it knows nothing of our generator.
"""
import json
import re
import sys


def fmt(counts):
    return " ".join(f"{k}={counts[k]}" for k in sorted(counts))


def expect(zoneconf, queries):
    names = set()
    for line in open(zoneconf):
        m = re.match(r'\s*local-data:\s*"([^ ]+)\.?\s', line)
        if m:
            name = m.group(1).rstrip(".").lower()
            labels = name.split(".")
            for i in range(len(labels)):          # the name and the nodes above it exist
                names.add(".".join(labels[i:]))
    counts = {}
    for line in open(queries):
        if not line.strip():
            continue
        name, qtype = line.split()
        code = "NOERROR" if name.rstrip(".").lower() in names else "NXDOMAIN"
        key = f"{qtype}/{code}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def dnsperf(path):
    counts = {}
    for line in open(path, errors="replace"):
        m = re.match(r"> (\S+) (\S+) (\S+) ([0-9.]+)$", line.strip())
        if m:
            key = f"{m.group(3)}/{m.group(1)}"
            counts[key] = counts.get(key, 0) + 1
    return counts


def total(path):
    rows = [json.loads(l) for l in open(path) if l.strip().startswith("{")]
    tot = [r for r in rows if r.get("type") == "total"]
    if len(tot) != 1:
        sys.exit(f"{len(tot)} total lines in {path}")
    return tot[0]


def percentile(values, p):
    values = sorted(values)
    if not values:
        sys.exit("no latencies")
    return values[min(len(values) - 1, max(0, int(round(p / 100 * len(values))) - 1))]


def main(argv):
    what = argv[1]
    if what == "expect":
        print(fmt(expect(argv[2], argv[3])))
    elif what == "dnsperf":
        print(fmt(dnsperf(argv[2])))
    elif what == "ours":
        print(fmt(total(argv[2])["answers"]))
    elif what == "latency":
        p = float(argv[4])
        if argv[3] == "dnsperf":
            lat = [float(l.split()[4]) * 1000 for l in open(argv[2], errors="replace")
                   if re.match(r"> \S+ \S+ \S+ [0-9.]+$", l.strip())]
            print(f"{percentile(lat, p):.3f}")
        else:
            key = {50: "p50", 90: "p90", 99: "p99"}[int(p)]
            print(f"{max(h[key] for h in total(argv[2])['latency_ms'].values()):.3f}")
    elif what == "field":
        print(total(argv[2])[argv[3]])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
