# SPDX-License-Identifier: GPL-3.0-or-later
"""Read what bhm printed on stdout.

  bhmstats.py FILE total FIELD     a field of the final {"type":"total"} line;
                                   rejects.CODE reads the rejects object (absent = 0)
  bhmstats.py FILE intervals       how many {"type":"interval"} lines there are
  bhmstats.py FILE sum FIELD       FIELD summed over the interval lines
  bhmstats.py FILE csv COLUMN      COLUMN (by header name) summed over the CSV rows

With --json every stdout line must be a JSON object; a line that is not is an error,
so is a missing total line or a missing field. Errors go to stderr, exit status 1.
"""
import json
import sys

REQUIRED = ("messages", "verified", "corrupt", "unsigned", "connections",
            "tls_connections", "errors", "data_kib", "rejects")


def objects(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                raise SystemExit(f"{path}:{n}: not JSON: {line.rstrip()[:120]}")
            if not isinstance(obj, dict):
                raise SystemExit(f"{path}:{n}: not a JSON object")
            out.append(obj)
    return out


def field(obj, name):
    if name.startswith("rejects."):
        rejects = obj.get("rejects")
        if not isinstance(rejects, dict):
            raise SystemExit(f"no rejects object in {json.dumps(obj)[:200]}")
        return rejects.get(name.split(".", 1)[1], 0)
    if name not in obj:
        raise SystemExit(f"no field {name!r} in {json.dumps(obj)[:200]}")
    return obj[name]


def total(objs):
    totals = [o for o in objs if o.get("type") == "total"]
    if len(totals) != 1:
        raise SystemExit(f"expected one total line, found {len(totals)}")
    if objs[-1] is not totals[0]:
        raise SystemExit("the total line is not the last line")
    missing = [k for k in REQUIRED if k not in totals[0]]
    if missing:
        raise SystemExit(f"total line lacks {', '.join(missing)}")
    return totals[0]


def csv_sum(path, column):
    with open(path, encoding="utf-8") as f:
        lines = [l.rstrip("\r\n") for l in f if l.strip()]
    if not lines:
        raise SystemExit("no CSV output")
    header = lines[0].split(",")
    if column not in header:
        raise SystemExit(f"no column {column!r} in header {lines[0]!r}")
    i = header.index(column)
    total = 0
    for row in lines[1:]:
        cells = row.split(",")
        if len(cells) < len(header):
            raise SystemExit(f"short CSV row {row!r}")
        total += int(cells[i])
    return total


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    path, cmd, args = argv[1], argv[2], argv[3:]
    if cmd == "csv" and len(args) == 1:
        print(csv_sum(path, args[0]))
        return
    objs = objects(path)
    if cmd == "total" and len(args) == 1:
        value = field(total(objs), args[0])
        print(json.dumps(value) if isinstance(value, (dict, list)) else value)
    elif cmd == "intervals" and not args:
        print(sum(1 for o in objs if o.get("type") == "interval"))
    elif cmd == "sum" and len(args) == 1:
        print(sum(field(o, args[0]) for o in objs if o.get("type") == "interval"))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
