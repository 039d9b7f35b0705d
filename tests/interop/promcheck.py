# SPDX-License-Identifier: GPL-3.0-or-later
"""What tests/interop/metrics asks of Prometheus's HTTP API and of the programs' JSON totals.

  promcheck.py query URL PROMQL          the value of PROMQL's single result ("none" if empty)
  promcheck.py total FILE FIELD[.FIELD]  a field of the {"type":"total"} line in FILE
  promcheck.py quantile URL SELECTOR Q OWN_MS
      whether histogram_quantile(Q) over the final buckets of SELECTOR lies in the bucket that
      holds OWN_MS (the program's own HdrHistogram figure, exact to 0.1%): prints both and the
      bucket's bounds; exit 1 if not.
Exit status 1 with the reason on stderr when something is missing.
"""
import json
import math
import sys
import urllib.parse
import urllib.request


def query(url, promql):
    data = urllib.parse.urlencode({"query": promql}).encode()
    with urllib.request.urlopen(url + "/api/v1/query", data, timeout=10) as r:
        body = json.load(r)
    if body.get("status") != "success":
        raise SystemExit(f"query {promql}: {body}")
    return body["data"]["result"]


def single(url, promql):
    result = query(url, promql)
    if len(result) != 1:
        return None
    return float(result[0]["value"][1])


def total(path, field):
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line.startswith("{"):
            obj = json.loads(line)
            if obj.get("type") == "total":
                for key in field.split("."):
                    obj = obj[key]
                return obj
    raise SystemExit(f"{path}: no total line")


def quantile(url, selector, q, own_ms):
    final = f"max_over_time({selector}[30m])"
    got = single(url, f"histogram_quantile({q}, sum by (le) ({final}))")
    bounds = sorted(float(r["metric"]["le"]) for r in query(url, final))
    if got is None or not bounds:
        raise SystemExit(f"no buckets for {selector}")
    own = own_ms / 1000
    # The bucket holding the program's figure, widened by HdrHistogram's 0.1% at either end.
    lo = max([b for b in bounds if b < own * 0.999] or [0.0])
    hi = min([b for b in bounds if b >= own * 1.001] or [math.inf])
    print(f"histogram_quantile({q}) {got:.6f} s, own {own:.6f} s, bucket ({lo}, {hi}]")
    return lo <= got <= hi


def main(argv):
    if argv[1] == "query":
        v = single(argv[2], argv[3])
        print("none" if v is None else (int(v) if v == int(v) else v))
    elif argv[1] == "total":
        print(total(argv[2], argv[3]))
    elif argv[1] == "quantile":
        return 0 if quantile(argv[2], argv[3], float(argv[4]), float(argv[5])) else 1
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
