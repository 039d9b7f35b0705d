# SPDX-License-Identifier: GPL-3.0-or-later
# Booting the guest under qemu (TCG: this machine's /dev/kvm cannot run a stock kernel) and
# talking to it over ssh on a forwarded loopback port (sourced by tests/selinux/vm).
# Uses from the caller: W, PORT, note(), die().

QEMU_PID=

# Boots the image with the given SELinux mode (1 enforcing, 0 permissive) and waits for ssh.
vm_boot() {
  local enforcing=$1 console=$W/console-$1.log
  rm -f "$W/ssh"/*.ctl
  # snapshot=on: the image stays as built, so both boots start from the same disk
  # Bounds are generous: .ci/run boots the guest beside other checks, which roughly halves its share of the cores.
  timeout 1800 qemu-system-x86_64 -accel tcg,thread=multi,tb-size=512 -cpu max -m 2048 -smp 2 -machine q35 \
    -kernel "$W/img/vmlinuz" -initrd "$W/img/initrd.img" \
    -append "root=/dev/vda rw console=ttyS0 net.ifnames=0 security=selinux selinux=1 enforcing=$enforcing audit=1 audit_backlog_limit=8192 loglevel=4" \
    -drive "file=$W/img/rootfs.img,format=raw,if=virtio,cache=unsafe,snapshot=on" \
    -nic "user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:$PORT-:22" \
    -display none -serial "file:$console" -monitor none -no-reboot > "$W/qemu-$enforcing.log" 2>&1 &
  QEMU_PID=$!
  local deadline=$((SECONDS + 600))
  while ! ssh_as postaladm -o ConnectTimeout=5 true 2>/dev/null; do
    if ! kill -0 "$QEMU_PID" 2>/dev/null; then
      tail -5 "$W/qemu-$enforcing.log" "$console" >&2
      die "qemu ended before ssh came up"
    fi
    [ $SECONDS -lt $deadline ] || { tail -20 "$console" >&2; die "no ssh in the guest after 600 s"; }
    sleep 2
  done
}

# Powers the guest off and waits (bounded) for qemu to end.
vm_poweroff() {
  [ -n "$QEMU_PID" ] || return 0
  ssh_as postaladm systemctl poweroff --no-block > /dev/null 2>&1 || true
  ssh_close
  local deadline=$((SECONDS + 90))
  while kill -0 "$QEMU_PID" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 1; done
  if kill -0 "$QEMU_PID" 2>/dev/null; then
    note "guest did not power off within 90 s: killing qemu $QEMU_PID"
    kill "$QEMU_PID" 2>/dev/null || true
  fi
  wait "$QEMU_PID" 2>/dev/null || true
  QEMU_PID=
}

# Kills qemu if it still runs (the EXIT trap calls this).
vm_kill() {
  ssh_close
  if [ -n "$QEMU_PID" ] && kill -0 "$QEMU_PID" 2>/dev/null; then
    kill "$QEMU_PID" 2>/dev/null || true
    wait "$QEMU_PID" 2>/dev/null || true
  fi
  QEMU_PID=
}

# ssh_as LOGIN [ssh options] COMMAND...: one command in the guest, over a shared connection
# per login, bounded to 300 s.
ssh_as() {
  local login=$1; shift
  local opts=(-p "$PORT" -i "$W/ssh/id" -o BatchMode=yes -o IdentitiesOnly=yes
              -o UserKnownHostsFile="$W/ssh/known_hosts" -o StrictHostKeyChecking=yes
              -o ControlMaster=auto -o ControlPath="$W/ssh/$login.ctl" -o ControlPersist=300
              -o ServerAliveInterval=10 -o LogLevel=ERROR -l "$login")
  while [ $# -gt 0 ] && [ "$1" = -o ]; do opts+=("$1" "$2"); shift 2; done
  timeout 300 ssh "${opts[@]}" 127.0.0.1 "$@" < /dev/null
}

ssh_close() {
  local c
  for c in "$W"/ssh/*.ctl; do
    [ -S "$c" ] && ssh -o ControlPath="$c" -O exit 127.0.0.1 > /dev/null 2>&1 || true
  done
}
