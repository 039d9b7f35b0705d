#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench/ledger.sh: postal's CPU per message spent on the ledger alone (bench/LedgerCost.java), for
# the build in LIB (default daemon/target/dist/lib) and, when OLD_LIB is set, for another build's
# jars beside it, to compare two versions of the writer. The ratio the issue asks about is
# (postal's CPU per message without the ledger + this figure) / (postal's CPU without the ledger);
# part 2 of bench/match.sh measures postal's own figure (and the whole ratio, which on a shared
# machine is noisier than the difference it looks for).
#
# Usage:  bench/ledger.sh                         MESSAGES=2000000 ROUNDS=5 by default
#         OLD_LIB=/tmp/old/dist/lib bench/ledger.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
MESSAGES=${MESSAGES:-2000000}
ROUNDS=${ROUNDS:-5}
LIB=${LIB:-$top/daemon/target/dist/lib}
work=$(mktemp -d /tmp/postal-ledger-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
run() { # run LABEL LIBDIR
  java -Xmx256m -cp "$2/*" "$here/LedgerCost.java" "$MESSAGES" "$ROUNDS" "$work/ledger" 2>&1 | sed "s|^|$1 |"
}
[ -z "${OLD_LIB:-}" ] || run old "$OLD_LIB"
run new "$LIB"
[ -z "${OLD_LIB:-}" ] || run old "$OLD_LIB"
