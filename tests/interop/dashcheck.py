#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that a Grafana dashboard asks only for what exists: every metric name in its queries
(panel targets and template variables) is a sample name in one of the given expositions (what
the daemons really serve, scraped by the test) or a recording rule of the rules file, and every
name the rules read is exposed too. Prints the unknown names and exits 1 if there are any.

    dashcheck.py DASHBOARD.json RULES.yml EXPOSITION...
"""
import json
import re
import sys

import yaml   # python3-yaml, which ansible (installed by .ci/run) brings

NAME = re.compile(r"\bpostal(?:_[a-z0-9_]+|:[a-z0-9_:]+)")


def queries(node):
    """Every PromQL text of a dashboard: targets' expr and template variables' queries."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("expr", "definition") and isinstance(value, str):
                yield value
            elif key == "query" and isinstance(value, str):
                yield value
            else:
                yield from queries(value)
    elif isinstance(node, list):
        for item in node:
            yield from queries(item)


def exposed(files):
    names = set()
    for path in files:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line and not line.startswith("#"):
                    names.add(re.split(r"[{ ]", line, maxsplit=1)[0])
    return names


def main(argv):
    with open(argv[1], encoding="utf-8") as f:
        dashboard = json.load(f)
    with open(argv[2], encoding="utf-8") as f:
        rules = [r for g in yaml.safe_load(f)["groups"] for r in g["rules"]]
    recorded = {r["record"] for r in rules if "record" in r}
    rule_exprs = [r["expr"] for r in rules]
    served = exposed(argv[3:])
    used = {n for q in queries(dashboard) for n in NAME.findall(q)}
    read_by_rules = {n for e in rule_exprs for n in NAME.findall(e)}
    unknown = sorted(n for n in used if n not in served and n not in recorded)
    unknown += sorted("rules: " + n for n in read_by_rules if n not in served and n not in recorded)
    print("dashboard: %d names (%d recorded, %d exposed); unknown: %s"
          % (len(used), len(used & recorded), len(used & served), " ".join(unknown) or "none"))
    return 1 if unknown or not used else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
