# SPDX-License-Identifier: GPL-3.0-or-later
# The guest image of tests/selinux/vm (sourced by it): a Debian 12 root tree from mmdebstrap,
# cached under $CACHE_DIR keyed by what goes into it, then per run our packages installed with
# apt inside it (so their maintainer scripts run), the play-machine logins, the file labels
# written on the host with setfiles, and an ext4 image made from the tree.
# Uses from the caller: W (work folder), LIB (this folder), CACHE_DIR, note(), die().

BASE_SUITE=bookworm
BASE_MIRRORS=(
  "deb http://deb.debian.org/debian bookworm main"
  "deb http://deb.debian.org/debian bookworm-updates main"
  "deb http://deb.debian.org/debian-security bookworm-security main"
)
# What the guest needs besides our packages: kernel and initrd tools, systemd, the SELinux policy
# and tools (semanage for the login mappings), auditd (AVC records), ssh, and our packages'
# dependencies so that apt installs them without a network.
BASE_PACKAGES=(
  systemd-sysv udev kmod linux-image-amd64 initramfs-tools
  selinux-basics selinux-policy-default selinux-utils policycoreutils policycoreutils-python-utils
  auditd openssh-server procps e2fsprogs adduser default-jre-headless
)
BASE_OPTIONS=(
  --variant=minbase
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*'
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias'
  # openjdk's postinst makes the java.1.gz alternative link: the folder must exist.
  --setup-hook='mkdir -p "$1/usr/share/man/man1" "$1/etc/initramfs-tools/hooks" "$1/etc/initramfs-tools/conf.d"'
  --setup-hook='printf "MODULES=list\nCOMPRESS=gzip\n" > "$1/etc/initramfs-tools/conf.d/zz-vm"'
  --setup-hook='cp "'"$LIB"'/files/initramfs-virtio" "$1/etc/initramfs-tools/hooks/"'
)

# The cache key: everything that decides the base tree's content (not where the checkout is).
base_key() {
  { printf '%s\n' "$BASE_SUITE" "${BASE_MIRRORS[@]}" "${BASE_PACKAGES[@]}" "${BASE_OPTIONS[@]//$LIB/LIB}"
    cat "$LIB/files/initramfs-virtio"; } | sha256sum | cut -c1-16
}

# Prints the path of the base tree's tarball, building it when the cache has none.
base_image() {
  local key tar
  key=$(base_key)
  tar=$CACHE_DIR/selinux-vm-base-$key.tar
  if [ -s "$tar" ]; then
    note "base image cached: $tar"
  else
    mkdir -p "$CACHE_DIR"
    note "building the base image with mmdebstrap (no cache for key $key)"
    local incl
    incl=$(IFS=,; echo "${BASE_PACKAGES[*]}")
    timeout 1500 mmdebstrap --format=tar "${BASE_OPTIONS[@]}" --include="$incl" \
      "$BASE_SUITE" "$tar.part" "${BASE_MIRRORS[@]}" > "$W/mmdebstrap.log" 2>&1 \
      || { tail -20 "$W/mmdebstrap.log" >&2; rm -f "$tar.part"; die "mmdebstrap failed"; }
    mv "$tar.part" "$tar"
    # one base image at a time: older keys are stale
    find "$CACHE_DIR" -maxdepth 1 -name 'selinux-vm-base-*.tar' ! -name "${tar##*/}" -delete
  fi
  BASE_TAR=$tar
}

# Runs a command inside the root tree, in a mount namespace of its own (proc, dev and devpts
# mounted, gone when it ends), with a clean environment.
in_root() {
  unshare --mount --propagation private -- sh -c '
    root=$1; shift
    mount -t proc proc "$root/proc" && mount --bind /dev "$root/dev" \
      && mount -t devpts -o newinstance devpts "$root/dev/pts" || exit 1
    exec chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
      DEBIAN_FRONTEND=noninteractive "$@"' sh "$ROOT" "$@"
}

# Unpacks the base tree and installs our packages into it with apt.
install_packages() {
  ROOT=$W/root
  rm -rf "$ROOT"; mkdir -p "$ROOT"
  tar -C "$ROOT" --numeric-owner -xpf "$BASE_TAR"
  mkdir -p "$ROOT/tmp/postal-debs"
  cp "${DEBS[@]}" "$ROOT/tmp/postal-debs/"
  # nothing starts in the tree (systemd is not running there anyway)
  printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"; chmod 755 "$ROOT/usr/sbin/policy-rc.d"
  local list=() d
  for d in "${DEBS[@]}"; do list+=("/tmp/postal-debs/${d##*/}"); done
  in_root apt-get install -y -q --no-install-recommends "${list[@]}" > "$W/apt-in-guest.log" 2>&1 \
    || { tail -30 "$W/apt-in-guest.log" >&2; die "apt-get install of our packages in the guest tree failed"; }
  grep -E '^(Setting up|Unpacking) postal' "$W/apt-in-guest.log" | sed 's/^/  guest apt: /'
  rm -rf "$ROOT/tmp/postal-debs" "$ROOT/usr/sbin/policy-rc.d"
}

# The guest's system settings: disk, network, ssh, logins, our services' test settings.
customize() {
  echo '/dev/vda / ext4 rw,relatime 0 1' > "$ROOT/etc/fstab"
  echo postal-vm > "$ROOT/etc/hostname"
  # a machine id of its own now: at boot, init_t may not write /etc (strict policy)
  rm -f "$ROOT/etc/machine-id"; in_root systemd-machine-id-setup > /dev/null
  sed -i 's/^SELINUX=.*/SELINUX=enforcing/; s/^SELINUXTYPE=.*/SELINUXTYPE=default/' "$ROOT/etc/selinux/config"
  local u
  for u in getty.target apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service fstrim.timer; do
    ln -sf /dev/null "$ROOT/etc/systemd/system/$u"
  done
  # qemu's user-mode network: the guest is 10.0.2.15, the host forwards a loopback port to :22
  mkdir -p "$ROOT/etc/systemd/network"
  printf '[Match]\nName=eth0\n\n[Network]\nAddress=10.0.2.15/24\nGateway=10.0.2.2\n' \
    > "$ROOT/etc/systemd/network/10-qemu.network"
  printf 'UseDNS no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n' \
    > "$ROOT/etc/ssh/sshd_config.d/postal-vm.conf"
  # postaladm: a second UID-0 login, mapped to sysadm_u (the administrator); root itself is
  # mapped to user_u (the play machine). Both log in with the key made for this run. Each has
  # a home of its own: a home is labelled for the SELinux user of its login.
  in_root useradd -o -u 0 -g 0 -m -d /home/postaladm -s /bin/bash -c 'Postal administrator (sysadm_r)' postaladm \
    2>&1 | grep -v 'outside of the UID_MIN'
  local home
  for home in root home/postaladm; do
    mkdir -p -m 700 "$ROOT/$home/.ssh"
    cp "$W/ssh/id.pub" "$ROOT/$home/.ssh/authorized_keys"
    chmod 600 "$ROOT/$home/.ssh/authorized_keys"
  done
  # postal delivers to the local bhm (port 25) at a set rate from boot on
  sed -i 's|^rate = .*|rate = '"$GUEST_RATE"'|' "$ROOT/etc/postal/postal.conf"
  grep -q "^rate = $GUEST_RATE\$" "$ROOT/etc/postal/postal.conf" || die "could not set the rate in postal.conf"
  in_root systemctl enable -q systemd-networkd.service postal.service
  # a profile for the template unit: postal@demo, started by the administrator in the test
  mkdir -p "$ROOT/etc/postal/postal"
  printf '%s\n' '# tests/selinux/vm: postal@demo, the local bhm at a low rate' 'server = 127.0.0.1' 'port = 25' \
    'users = /etc/postal/users' "rate = $DEMO_RATE" 'log-dir = /var/log/postal' > "$ROOT/etc/postal/postal/demo.conf"
  # Emulation (TCG) runs the JVM several times slower than the host: a start may take longer
  # than the units' default 90 s before READY=1 on a busy machine.
  for u in bhm postal postal@; do
    mkdir -p "$ROOT/etc/systemd/system/$u.service.d"
    printf '[Service]\nTimeoutStartSec=600\n' > "$ROOT/etc/systemd/system/$u.service.d/vm-slow-start.conf"
  done
  # the guest book: readable and appendable by user_t only through the guestbook module
  mkdir -p "$ROOT/var/lib/guestbook"
  echo 'Guest book of the Postal play machine: append a line with echo ... >>' > "$ROOT/var/lib/guestbook/thanks"
  chmod 644 "$ROOT/var/lib/guestbook/thanks"
}

# The play machine's policy settings, made with semanage in the tree: strict (unconfined module
# disabled), everybody and root mapped to user_u, postaladm to sysadm_u, the guest book module.
# That policy is kept as $W/shipped.33 (it judges which denials a normal system would log); then
# the dontaudit rules go off, so that every denial leaves an AVC record in the guest (the stock
# policy hides some on purpose, e.g. user_t's getattr on shadow_t or search on others' folders).
policy_settings() {
  make -s -C "$W/guestbook" -f /usr/share/selinux/devel/Makefile NAME=default TYPE=mcs guestbook.pp \
    > "$W/guestbook-build.log" 2>&1 || { cat "$W/guestbook-build.log" >&2; die "guestbook module did not compile"; }
  cp "$W/guestbook/guestbook.pp" "$ROOT/tmp/"
  cat > "$ROOT/tmp/play-machine.semanage" <<'EOF'
module -d unconfined
module -a /tmp/guestbook.pp
login -m -s user_u -r s0 __default__
login -m -s user_u -r s0 root
login -a -s sysadm_u -r s0-s0:c0.c1023 postaladm
EOF
  in_root semanage import -N -f /tmp/play-machine.semanage > "$W/semanage.log" 2>&1 \
    || { cat "$W/semanage.log" >&2; die "semanage import in the guest tree failed"; }
  cp "$ROOT/etc/selinux/default/policy/policy.33" "$W/shipped.33"
  in_root semanage dontaudit -N off >> "$W/semanage.log" 2>&1 \
    || { cat "$W/semanage.log" >&2; die "semanage dontaudit off in the guest tree failed"; }
  in_root semanage login -l | sed 's/^/  guest login map: /'
  in_root semodule -lfull | grep -E ' (postal|guestbook|unconfined) ' | sed 's/^/  guest module: /'
  rm -f "$ROOT/tmp/guestbook.pp" "$ROOT/tmp/play-machine.semanage"
}

# Labels every file from the tree's own file_contexts, then makes the disk image.
label_and_pack() {
  local fc=$ROOT/etc/selinux/default/contexts/files/file_contexts
  setfiles -r "$ROOT" "$fc" "$ROOT" || die "setfiles failed"
  # file_contexts says <<none>> for /proc, so setfiles leaves the directory unlabelled; systemd
  # mounts a procfs on it again in each hardened unit's namespace (/run/systemd/unit-root/proc),
  # and init_t may mount on proc_t but not on unlabeled_t when the unconfined module is off.
  setfattr -n security.selinux -v system_u:object_r:proc_t:s0 "$ROOT/proc" || die "could not label /proc"
  mkdir -p "$W/img"
  cp "$ROOT"/boot/vmlinuz-* "$W/img/vmlinuz"
  cp "$ROOT"/boot/initrd.img-* "$W/img/initrd.img"
  # the ssh host key the guest will show, pinned for the client
  printf '[127.0.0.1]:%s %s\n' "$PORT" "$(cut -d' ' -f1,2 "$ROOT/etc/ssh/ssh_host_ed25519_key.pub")" > "$W/ssh/known_hosts"
  rm -f "$W/img/rootfs.img"
  mke2fs -q -t ext4 -L root -d "$ROOT" "$W/img/rootfs.img" 3G || die "mke2fs failed"
  local label
  label=$(debugfs -R 'ea_get /usr/bin/postalctl security.selinux' "$W/img/rootfs.img" 2>/dev/null | tr -d '\0')
  note "label of /usr/bin/postalctl in the image: ${label:-none}"
  rm -rf "$ROOT"
}
