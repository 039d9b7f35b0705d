# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the checks in tests/debian (sourced, not run; with tests/lib/harness.sh): where the
# package and the cached chroot tarballs live, timed steps (each one passed), die, and chroots made
# from a tarball with /proc and /dev mounted.
#   POSTAL_SUITE     the Debian release the checks run on: bookworm (default) or trixie
#   POSTAL_DEB_DIR   the built postal_*.deb, postal-selinux_*.deb and the tarball cache
#                    (default /var/tmp/postal-deb, /var/tmp/postal-deb-SUITE for another release)
#   POSTAL_CI_MIRROR the Debian archive (default http://deb.debian.org/debian)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
check=$(basename "$0")
. "$(dirname "${BASH_SOURCE[0]}")/../lib/harness.sh"
harness_init "$check"
repo=$harness_top
suite=${POSTAL_SUITE:-bookworm}
case $suite in
  bookworm) out=${POSTAL_DEB_DIR:-/var/tmp/postal-deb} ;;
  trixie) out=${POSTAL_DEB_DIR:-/var/tmp/postal-deb-$suite} ;;
  *) echo "$check: POSTAL_SUITE=$suite: bookworm or trixie" >&2; exit 2 ;;
esac
cache=$out/cache
# The release this machine runs: a package for another is built in a chroot of that release.
host_suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
mirror=${POSTAL_CI_MIRROR:-http://deb.debian.org/debian}
security=${POSTAL_CI_SECURITY:-http://deb.debian.org/debian-security}
sources=("deb $mirror $suite main" "deb $mirror $suite-updates main" "deb $security $suite-security main")
mkdir -p "$out" "$cache"

# step TITLE COMMAND...: runs it, prints how long it took and counts it as passed. Never call it on the left of || or
# &&: that would switch off set -e inside COMMAND; a failing COMMAND ends the check here.
step() {
    local title=$1 t0=$SECONDS
    shift
    echo "-- $check: $title"
    "$@"
    pass "$check: $title ($((SECONDS - t0))s)"
}

# die MESSAGE: the check fails here; the closing line follows (need comes from the harness).
die() {
    fail "$check: $*" >&2
    finish
}

# The packages built by tests/debian/build: deb is postal, selinux_deb postal-selinux.
deb() {
    built_deb postal_*_amd64.deb
}
selinux_deb() {
    built_deb postal-selinux_*_all.deb
}
built_deb() {
    local found
    found=$(ls "$out"/$1 2>/dev/null | sort -V | tail -1)
    [ -n "$found" ] || fail "no $1 in $out: run tests/debian/build first"
    echo "$found"
}

# tarball NAME [PACKAGE...]: sets $tarball_path to a minbase tarball with these packages, made by
# mmdebstrap once a day and shared by every check that asks for the same name.
tarball() {
    local name=$1
    shift
    local file
    file=$cache/$suite-$name-$(date -u +%Y%m%d)-$(echo "$*" | md5sum | cut -c1-8).tar.gz
    if [ ! -s "$file" ]; then
        need mmdebstrap mmdebstrap
        rm -f "$cache/$suite-$name-"*.tar.gz
        local include=()
        [ $# = 0 ] || include=(--include="$(IFS=,; echo "$*")")
        echo "   mmdebstrap $suite $name ${*:-}"
        # mmdebstrap compresses by the file name's ending: the unfinished file ends in .tar.gz too.
        mmdebstrap --quiet --variant=minbase "${include[@]}" "$suite" "$cache/$name.part.tar.gz" "${sources[@]}"
        mv "$cache/$name.part.tar.gz" "$file"
    else
        echo "   cached: $file"
    fi
    tarball_path=$file
}

# chroot_from TARBALL: unpacks it into a fresh directory with /proc, /sys and /dev mounted, and
# sets $root; every mount and the directory go when the script exits.
chroot_from() {
    root=$(mktemp -d /var/tmp/postal-chroot.XXXXXX)
    at_exit chroot_cleanup
    tar -C "$root" -xf "$1"
    mount -t proc proc "$root/proc"
    mount -t sysfs sys "$root/sys"
    mount --rbind /dev "$root/dev"
    mount --make-rslave "$root/dev"
    cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
    # Nothing the packages install starts a service here (the init scripts are tested by hand).
    printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
    chmod 755 "$root/usr/sbin/policy-rc.d"
}

# bind_into DIR PATH: DIR of this machine mounted at PATH inside the chroot until the script exits.
bound=()
bind_into() {
    mkdir -p "$root$2"
    mount --bind "$1" "$root$2"
    bound+=("$root$2")
}

chroot_cleanup() {
    [ -n "${root:-}" ] && [ -d "$root" ] || return 0
    local mounted
    for mounted in "${bound[@]}"; do
        umount "$mounted" 2>/dev/null || umount -l "$mounted" 2>/dev/null || true
    done
    for pidfile in "$root"/run/postal/*.pid; do
        [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    done
    umount -R "$root/dev" 2>/dev/null || umount -l "$root/dev" 2>/dev/null || true
    umount "$root/sys" "$root/proc" 2>/dev/null || umount -l "$root/sys" "$root/proc" 2>/dev/null || true
    if ! grep -q " $root/" /proc/mounts; then
        rm -rf "$root"
    fi
}

# in_root COMMAND...: runs a shell command line inside the chroot.
in_root() {
    chroot "$root" /bin/sh -ec "$*"
}

# The packages every chroot check installs the .deb on top of (a host without systemd as PID 1).
runtime_packages=(default-jre-headless adduser jsvc procps)

# install_packages PACKAGE...: installs PACKAGEs from the archive into the chroot. A check that
# needs a few packages beyond the runtime tarball adds them this way rather than with a tarball of
# its own: on a cold machine each tarball is a full mmdebstrap (minutes), this a short download.
install_packages() {
    in_root "apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $* \
        >/tmp/packages.log 2>&1" || { tail -30 "$root/tmp/packages.log"; fail "apt-get install $* failed"; }
}

# install_deb [DEB...]: copies the packages (default: postal's) into the chroot and installs
# them with apt (dependencies from the archive); the chroot's apt lists are refreshed first.
install_deb() {
    local debs=("$@") names=()
    [ $# -gt 0 ] || debs=("$(deb)")
    cp "${debs[@]}" "$root/tmp/"
    names=($(basename -a "${debs[@]}" | sed 's|^|/tmp/|'))
    in_root "apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends ${names[*]} \
        >/tmp/install.log 2>&1" || { tail -30 "$root/tmp/install.log"; fail "apt-get install ${names[*]} failed"; }
}
