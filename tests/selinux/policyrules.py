# SPDX-License-Identifier: GPL-3.0-or-later
"""An index of a linked policy's allow rules, and a pass/fail tally, for check_policy.py.

Needs Debian's python3-setools (run /usr/bin/python3: setools is not on other Pythons' paths).
"""
from collections import defaultdict

import setools


class Rules:
    """allow rules with attributes expanded, kept only where a source or target is of interest."""

    def __init__(self, policy, interesting):
        self.policy = policy
        self.defaults = {b.name: b.state for b in policy.bools()}
        self.by_pair = defaultdict(list)   # (src, tgt, cls) -> [(perms, cond, branch)]
        self.by_source = defaultdict(set)  # src -> {(tgt, cls)}
        self.by_target = defaultdict(set)  # tgt -> {(src, cls)}
        cache = {}

        def names(t):
            if t.name not in cache:
                cache[t.name] = frozenset(x.name for x in t.expand())
            return cache[t.name]

        for r in policy.terules():
            if r.ruletype != setools.TERuletype.allow:
                continue
            src, tgt = names(r.source), names(r.target)
            s_in, t_in = src & interesting, tgt & interesting
            if not s_in and not t_in:
                continue
            cond = r.conditional if self._conditional(r) else None
            branch = r.conditional_block if cond else None
            perms = frozenset(r.perms)
            cls = r.tclass.name
            for s in src:
                for t in (tgt if s in interesting else t_in):
                    self.by_pair[(s, t, cls)].append((perms, cond, branch))
                    self.by_source[s].add((t, cls))
                    self.by_target[t].add((s, cls))

    @staticmethod
    def _conditional(rule):
        try:
            return rule.conditional is not None
        except setools.exception.RuleNotConditional:
            return False

    def perms(self, s, t, cls, **bools):
        state = dict(self.defaults, **bools)
        out = set()
        for perms, cond, branch in self.by_pair.get((s, t, cls), ()):
            if cond is None or cond.evaluate(**state) == branch:
                out |= perms
        return out

    def targets(self, s, classes, wanted, **bools):
        """{(target, class): granted & wanted} for every target where that is not empty."""
        out = {}
        for (t, cls) in self.by_source.get(s, ()):
            if cls in classes:
                got = self.perms(s, t, cls, **bools) & wanted
                if got:
                    out[(t, cls)] = got
        return out

    def sources(self, t, cls, wanted, **bools):
        """Every source granted any of wanted on t:cls."""
        return {s for (s, c) in self.by_target.get(t, ()) if c == cls
                and self.perms(s, t, cls, **bools) & wanted}


class Checker:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"ok   {name}")
        else:
            self.failed += 1
            print(f"FAIL {name}: {detail}")

    def subset(self, name, got, allowed):
        extra = set(got) - set(allowed)
        self.check(name, not extra, f"extra {sorted(extra)}")

    def equal(self, name, got, want):
        self.check(name, set(got) == set(want), f"got {sorted(got)}, want {sorted(want)}")

    def has(self, name, got, want):
        missing = set(want) - set(got)
        self.check(name, not missing, f"missing {sorted(missing)}")

    def lacks(self, name, got, banned):
        found = set(got) & set(banned)
        self.check(name, not found, f"granted {sorted(found)}")
