#!/bin/bash
# Test hosts for opsctl's end-to-end tests: Linux namespaces on this machine, each behaving like a
# separate Docker server reachable over SSH. Needs root, iproute2, util-linux, openssh-server,
# docker.io, busybox-static, curl and python3.
#
#   testhost.sh up N...        bring hosts up (in parallel); a host already up is left alone
#   testhost.sh down N...      stop a host's services and remove every trace of it
#   testhost.sh down-all       every host, the bridge and the load-balancer state
#   testhost.sh exec N CMD...  run CMD (joined with spaces, like ssh) by bash inside host N
#   testhost.sh info N         key=value lines describing host N (for the JUnit extension)
#   testhost.sh status         one line per host
#
# Host N: network namespace 'opsctl-hN', address 10.231.0.(10+N)/24 on eth0, bridged by veth
# 'veth-hN' to 'opsctl-br0' (10.231.0.1/24) in the root namespace; no route leaves the subnet.
# Its own mount, PID, UTS and IPC namespaces: /etc, /opt, /usr/local, /var/lib and /var/log are
# overlays, /run, /root, /tmp and /var/lib/docker are its own directories, all under
# $OPSCTL_TESTHOSTS_STATE/hN (default state dir /var/tmp/opsctl-testhosts).
set -euo pipefail

STATE=${OPSCTL_TESTHOSTS_STATE:-/var/tmp/opsctl-testhosts}
UP_TIMEOUT=${OPSCTL_TESTHOSTS_TIMEOUT:-90}
WARM_POOL=${OPSCTL_TESTHOSTS_WARM_POOL:-3}
DOCKER_START_TIMEOUT=${OPSCTL_TESTHOSTS_DOCKER_START_TIMEOUT:-20}
BRIDGE=opsctl-br0
SUBNET=10.231.0
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HOST_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

die() { echo "testhost: $*" >&2; exit 1; }
say() { echo "testhost: $*" >&2; }

addr_of() { echo "$SUBNET.$((10 + $1))"; }
check_n() { [[ $1 =~ ^[0-9]+$ ]] && (( $1 >= 1 && $1 <= 200 )) || die "host number must be 1..200, got '$1'"; }

preflight() {
  [[ $(id -u) == 0 ]] || die "must run as root (namespaces, mounts and veth need it)"
  local missing=() cmd
  for cmd in ip nsenter unshare dockerd containerd runc sshd ssh-keygen busybox curl flock; do
    command -v "$cmd" >/dev/null || missing+=("$cmd")
  done
  [[ -x /usr/bin/python3 ]] || missing+=(/usr/bin/python3)
  tini >/dev/null 2>&1 || missing+=("tini or docker-init")
  ((${#missing[@]} == 0)) || die "missing commands: ${missing[*]} (apt-get install iproute2 util-linux docker.io openssh-server busybox-static curl python3)"
  grep -qw overlay /proc/filesystems || die "the kernel has no overlay filesystem"
}

tini() { command -v tini || command -v docker-init; }

# A pid counts as the host's init only if it is alive and in another PID namespace than ours.
init_pid() {
  local pid
  pid=$(cat "$STATE/h$1/init.pid" 2>/dev/null) || return 1
  [[ -n $pid && -e /proc/$pid/ns/pid ]] || return 1
  [[ $(readlink "/proc/$pid/ns/pid") != $(readlink /proc/self/ns/pid) ]] || return 1
  echo "$pid"
}

host_exec() { # N command-string ; inside all of the host's namespaces, with a clean environment
  local pid
  pid=$(init_pid "$1") || die "host $1 is not up"
  nsenter -t "$pid" -m -u -i -n -p -- env -i HOME=/root USER=root LOGNAME=root PATH="$HOST_PATH" \
    LANG=C.UTF-8 TERM=dumb /bin/bash -c "cd / && $2"
}

ensure_shared() {
  mkdir -p "$STATE"
  chmod 0700 "$STATE"
  mkdir -p "$STATE/ssh" "$STATE/image" "$STATE/lib" "$STATE/lb"
  chmod 0700 "$STATE/ssh"
  (
    flock 9
    [[ -s $STATE/ssh/id_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C opsctl-testhosts -f "$STATE/ssh/id_ed25519"
    /bin/bash "$HERE/mkimage.sh" "$STATE/image"
    local f
    for f in hostinit.sh systemctl journalctl workspace-app lb-ctl mkimage.sh testhost.sh; do
      install -m 0755 "$HERE/$f" "$STATE/lib/$f"
    done
    ensure_bridge
  ) 9> "$STATE/.lock"
}

ensure_bridge() {
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip addr add "$SUBNET.1/24" dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
}

# Under the state lock, so a concurrent 'up' either sees its bridge kept or creates it again.
remove_bridge_if_unused() {
  (
    flock 9
    compgen -G "$STATE/h*/" >/dev/null || ip link del "$BRIDGE" 2>/dev/null || true
  ) 9> "$STATE/.lock"
}

write_known_hosts() {
  local n tmp=$STATE/ssh/.known_hosts.$$
  : > "$tmp"
  for key in "$STATE"/ssh/host-h*.pub; do
    [[ -e $key ]] || continue
    n=${key##*/host-h}; n=${n%.pub}
    printf '%s %s\n' "$(addr_of "$n")" "$(cut -d' ' -f1,2 "$key")" >> "$tmp"
  done
  chmod 0600 "$tmp"
  mv "$tmp" "$STATE/ssh/known_hosts"
  # For ssh -F and for opsctl's ~/.ssh/config reading: 'ssh -F $STATE/ssh/config opsctl-h1'.
  : > "$tmp"
  for key in "$STATE"/ssh/host-h*.pub; do
    [[ -e $key ]] || continue
    n=${key##*/host-h}; n=${n%.pub}
    printf 'Host opsctl-h%s\n  HostName %s\n  Port 22\n  User root\n  IdentityFile %s\n  IdentitiesOnly yes\n  UserKnownHostsFile %s\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n  BatchMode yes\n\n' \
      "$n" "$(addr_of "$n")" "$STATE/ssh/id_ed25519" "$STATE/ssh/known_hosts" >> "$tmp"
  done
  chmod 0600 "$tmp"
  mv "$tmp" "$STATE/ssh/config"
}

prepare_host_dir() {
  local n=$1 hd=$STATE/h$1
  mkdir -p "$hd"/{etc-upper/docker,etc-upper/ssh,etc-upper/opsctl-test,opt-upper/opsctl-test,usrlocal-upper/sbin,varlib-upper,varlog-upper/opsctl-test,run,root/.ssh,tmp,docker}
  chmod 0700 "$hd" "$hd/root" "$hd/root/.ssh" "$hd/docker"
  chmod 1777 "$hd/tmp"
  chmod 0755 "$hd/run"
  [[ -s $STATE/ssh/host-h$n ]] || ssh-keygen -q -t ed25519 -N '' -C "opsctl-h$n" -f "$STATE/ssh/host-h$n"
  install -m 0600 "$STATE/ssh/host-h$n" "$hd/etc-upper/ssh/ssh_host_ed25519_key"
  install -m 0644 "$STATE/ssh/host-h$n.pub" "$hd/etc-upper/ssh/ssh_host_ed25519_key.pub"
  install -m 0600 "$STATE/ssh/id_ed25519.pub" "$hd/root/.ssh/authorized_keys"
  cat > "$hd/etc-upper/ssh/sshd_config" <<EOF
# opsctl test host $n
Port 22
ListenAddress 0.0.0.0
HostKey /etc/ssh/ssh_host_ed25519_key
PidFile /run/sshd.pid
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
AuthorizedKeysFile .ssh/authorized_keys
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
MaxStartups 200
MaxSessions 100
SetEnv PATH=$HOST_PATH
Subsystem sftp internal-sftp
EOF
  # Existing settings unrelated to userns-remap, which a rollout must keep.
  cat > "$hd/etc-upper/docker/daemon.json" <<'EOF'
{
  "log-driver": "json-file",
  "log-opts": {
    "max-size": "10m",
    "max-file": "3"
  }
}
EOF
  { cat /etc/hosts; printf '%s opsctl-h%s\n' "$(addr_of "$n")" "$n"; } > "$hd/etc-upper/hosts"
  cat > "$hd/etc-upper/opsctl-test/host.env" <<EOF
HOST_N=$n
DOCKER_START_TIMEOUT=$DOCKER_START_TIMEOUT
WARM_POOL_SIZE=$WARM_POOL
EOF
  # from this checkout, not $STATE/lib: another build on this machine may have put other versions there
  install -m 0755 "$HERE/systemctl" "$HERE/journalctl" "$HERE/workspace-app" "$hd/usrlocal-upper/sbin/"
  install -m 0644 "$STATE/image/workspace-base.tar" "$STATE/image/workspace-base-rootfs.tar" "$hd/opt-upper/opsctl-test/"
}

plumb_network() {
  local n=$1 ns=opsctl-h$1
  ( flock 9; ensure_bridge ) 9> "$STATE/.lock"
  ip netns add "$ns"
  ip link add "veth-h$n" type veth peer name eth0 netns "$ns"
  ip link set "veth-h$n" master "$BRIDGE" up
  ip -n "$ns" addr add "$(addr_of "$n")/24" dev eth0
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
}

show_logs() { # N ; the reasons a host did not come up
  local hd=$STATE/h$1 f
  for f in "$hd/init.log" "$hd"/varlog-upper/opsctl-test/{docker,workspace-app,sshd}.log; do
    [[ -s $f ]] || continue
    echo "--- ${f#"$STATE/"} (last 15 lines)" >&2
    tail -n 15 "$f" >&2
  done
}

wait_up() { # N TIMEOUT POOL ; until sshd listens and /health says ok with POOL warm containers
  local n=$1 timeout=$2 pool=$3 hd=$STATE/h$1 addr deadline health=
  addr=$(addr_of "$n")
  deadline=$((SECONDS + timeout))
  while (( SECONDS < deadline )); do
    init_pid "$n" >/dev/null || { say "host $n: its init exited during start-up"; return 1; }
    if [[ -e $hd/run/opsctl-ready ]]; then
      health=$(curl -s -m 2 "http://$addr:8000/health" || true)
      if [[ $health == *'"status": "ok"'* && $health == *"\"warm_pool_size\": $pool"* ]] \
         && (exec 3<>"/dev/tcp/$addr/22") 2>/dev/null; then
        return 0
      fi
    fi
    sleep 0.1
  done
  say "host $n: not up after ${timeout}s (last /health: '${health:-no answer}')"
  return 1
}

up_host() {
  local n=$1 hd=$STATE/h$1 started=$SECONDS init
  init=$(tini)
  if init_pid "$n" >/dev/null && wait_up "$n" 3 "" 2>/dev/null; then
    say "host $n: already up"; return 0
  fi
  down_host "$n" 2>/dev/null || true
  prepare_host_dir "$n"
  plumb_network "$n"
  setsid nsenter --net="/run/netns/opsctl-h$n" -- \
    unshare --mount --propagation private --uts --ipc --pid --fork --kill-child --mount-proc -- \
    "$init" -s -g -- /bin/bash "$STATE/lib/hostinit.sh" "$n" "$hd" >> "$hd/init.log" 2>&1 < /dev/null 8>&- 9>&- &
  local outer=$! pid= i
  echo "$outer" > "$hd/unshare.pid"
  # The host's init is the child unshare forks into the new PID namespace.
  for ((i = 0; i < 250; i++)); do
    pid=$(awk '{print $1}' "/proc/$outer/task/$outer/children" 2>/dev/null || true)
    if [[ -n $pid ]]; then
      echo "$pid" > "$hd/init.pid"
      init_pid "$n" >/dev/null && break
    fi
    pid=
    [[ -e /proc/$outer ]] || break
    sleep 0.02
  done
  [[ -n $pid ]] || { show_logs "$n"; say "host $n: could not create its namespaces"; down_host "$n" || true; return 1; }
  if ! wait_up "$n" "$UP_TIMEOUT" "$WARM_POOL"; then
    show_logs "$n"
    if [[ ${OPSCTL_TESTHOSTS_KEEP_FAILED:-0} == 1 ]]; then say "host $n: kept for inspection"
    else down_host "$n" || true; fi
    return 1
  fi
  "$STATE/lib/lb-ctl" register "opsctl-h$n"
  say "host $n: up at $(addr_of "$n") in $((SECONDS - started))s"
}

down_host() {
  local n=$1 hd=$STATE/h$1 pid outer i
  if pid=$(init_pid "$n"); then
    # tini hands SIGTERM to hostinit.sh, which stops workspace-app and dockerd (its containers too).
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 600 && ${#pid} > 0; i++)); do [[ -e /proc/$pid ]] || break; sleep 0.05; done
    # The PID namespace dies with its init: the kernel kills whatever is left in it.
    [[ -e /proc/$pid ]] && kill -KILL "$pid" 2>/dev/null
    while [[ -e /proc/$pid ]]; do sleep 0.02; done
  fi
  outer=$(cat "$hd/unshare.pid" 2>/dev/null || true)
  if [[ -n $outer && -e /proc/$outer ]] && grep -q unshare "/proc/$outer/comm" 2>/dev/null; then
    kill -KILL "$outer" 2>/dev/null || true
  fi
  ip link del "veth-h$n" 2>/dev/null || true
  ip netns del "opsctl-h$n" 2>/dev/null || true
  local cg
  for cg in /sys/fs/cgroup/*/"opsctl-h$n" /sys/fs/cgroup/"opsctl-h$n"; do
    [[ -d $cg ]] && find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null
  done
  rm -rf "$hd"
}

cmd_up() {
  (($# > 0)) || die "usage: testhost.sh up N..."
  local n pids=() failed=0 i
  for n in "$@"; do check_n "$n"; done
  preflight
  ensure_shared
  for n in "$@"; do
    ( exec 8> "$STATE/h$n.lock"; flock -n 8 || die "host $n: another testhost.sh holds $STATE/h$n.lock"; up_host "$n" ) &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || failed=1; done
  write_known_hosts
  ((failed == 0)) || die "not every host came up (see above)"
}

cmd_down() {
  local n pids=() failed=0 i
  for n in "$@"; do check_n "$n"; done
  [[ -d $STATE ]] || return 0
  for n in "$@"; do
    ( exec 8> "$STATE/h$n.lock"
      flock -w 120 8 || die "host $n: $STATE/h$n.lock still held after 120s"
      down_host "$n" || die "host $n: could not be removed completely"
      rm -f "$STATE/h$n.lock" ) &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || failed=1; done
  remove_bridge_if_unused
  ((failed == 0)) || die "not every host was removed (see above)"
}

cmd_down_all() {
  local hosts=() d n
  for d in "$STATE"/h*/; do [[ -d $d ]] && hosts+=("$(basename "$d" | sed 's/^h//')"); done
  for n in $(ip netns list 2>/dev/null | awk '$1 ~ /^opsctl-h[0-9]+$/ {sub("opsctl-h", "", $1); print $1}'); do
    hosts+=("$n")
  done
  ((${#hosts[@]} == 0)) || cmd_down $(printf '%s\n' "${hosts[@]}" | sort -un)
  ip link del "$BRIDGE" 2>/dev/null || true
  rm -rf "$STATE/lb" "$STATE"/h*.lock
  [[ -d $STATE/ssh ]] && write_known_hosts
  true
}

cmd_info() {
  local n=$1
  check_n "$n"
  echo "name=opsctl-h$n"
  echo "address=$(addr_of "$n")"
  echo "ssh_port=22"
  echo "app_url=http://$(addr_of "$n"):8000"
  echo "key=$STATE/ssh/id_ed25519"
  echo "known_hosts=$STATE/ssh/known_hosts"
  echo "ssh_config=$STATE/ssh/config"
  echo "lb_ctl=$STATE/lib/lb-ctl"
  echo "state=$STATE/h$n"
  echo "init_pid=$(init_pid "$n" || echo none)"
}

cmd_status() {
  local d n
  for d in "$STATE"/h*/; do
    [[ -d $d ]] || continue
    n=$(basename "$d"); n=${n#h}
    if init_pid "$n" >/dev/null; then echo "opsctl-h$n $(addr_of "$n") up"; else echo "opsctl-h$n $(addr_of "$n") down"; fi
  done
}

case ${1:-} in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  down-all) cmd_down_all ;;
  exec) (($# >= 3)) || die "usage: testhost.sh exec N CMD..."; check_n "$2"; n=$2; shift 2; host_exec "$n" "$*" ;;
  info) (($# == 2)) || die "usage: testhost.sh info N"; cmd_info "$2" ;;
  status) cmd_status ;;
  *) die "usage: testhost.sh up N... | down N... | down-all | exec N CMD... | info N | status" ;;
esac
