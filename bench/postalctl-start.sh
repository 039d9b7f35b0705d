#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Wall time of `postalctl bhm status` against a running bhm: 20 runs per variant, median in ms.
# Usage: bench/postalctl-start.sh [DIST]   (DIST defaults to daemon/target/dist; build with mvn package)
# Variants: the whole lib/ class path; only postalctl's two jars; those plus an AppCDS archive.
set -e
dist=$(readlink -f "${1:-daemon/target/dist}")
runs=${RUNS:-20}
work=$(mktemp -d)
trap 'kill "$bhm" 2>/dev/null; rm -rf "$work"' EXIT
"$dist/bin/bhm" --port 0 --interval 1h --control-dir "$work" --log-dir "$work" >"$work/bhm.out" 2>&1 &
bhm=$!
for _ in $(seq 50); do [ -S "$work/bhm-status.sock" ] && break; sleep 0.1; done
narrow="$(ls "$dist"/lib/postal-ctl-*.jar):$(ls "$dist"/lib/jackson-core-*.jar)"
java -XX:ArchiveClassesAtExit="$work/postalctl.jsa" -cp "$narrow" org.postal.ctl.PostalCtl \
    --control-dir "$work" bhm status >/dev/null 2>&1

median() {
    sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'
}

measure() {
    label=$1
    shift
    for _ in $(seq "$runs"); do
        start=$(date +%s%N)
        "$@" --control-dir "$work" bhm status >/dev/null
        end=$(date +%s%N)
        echo $(( (end - start) / 1000000 ))
    done | median | while read -r ms; do echo "$label: $ms ms (median of $runs)"; done
}

measure "launcher, whole lib/ class path" java -cp "$dist/lib/*" org.postal.ctl.PostalCtl
measure "postal-ctl + jackson-core only" java -cp "$narrow" org.postal.ctl.PostalCtl
measure "two jars + AppCDS" java -XX:SharedArchiveFile="$work/postalctl.jsa" -cp "$narrow" org.postal.ctl.PostalCtl
measure "two jars + AppCDS + C1 only" java -XX:SharedArchiveFile="$work/postalctl.jsa" -XX:TieredStopAtLevel=1 \
    -cp "$narrow" org.postal.ctl.PostalCtl
measure "dist/bin/postalctl (the launcher as shipped)" "$dist/bin/postalctl"
