#!/bin/bash
# The first process of a test host (under tini, PID 1 of the host's PID namespace), already in
# the host's own network, mount, UTS, IPC and PID namespaces (see testhost.sh). It gives the host
# its own view of the filesystem, starts sshd, dockerd and workspace-app, and on SIGTERM stops
# them again. Anything it cannot set up is fatal: the host must never half-share the real /etc.
set -euo pipefail
n=${1:?usage: hostinit.sh N HOST_DIR}
hd=${2:?usage: hostinit.sh N HOST_DIR}

# Overlays rather than bind mounts of single files: useradd, sed -i and atomic 'mv' all replace
# files by rename, which fails with EBUSY on a file bind mount but works on an overlay.
overlay() {
  local dir=$1 name=$2
  mkdir -p "$hd/$name-upper" "$hd/$name-work"
  mount -t overlay "opsctl-h$n-$name" -o "lowerdir=$dir,upperdir=$hd/$name-upper,workdir=$hd/$name-work" "$dir"
}
# Copies of the root namespace's 'ip netns' mounts would keep other hosts' network namespaces
# alive after their 'down'.
if mountpoint -q /run/netns; then umount -l /run/netns; fi
overlay /etc etc
overlay /opt opt
overlay /usr/local usrlocal
overlay /var/lib varlib
overlay /var/log varlog
# Docker's own data must not sit on an overlay (overlay2 cannot stack on overlayfs): plain dirs.
mkdir -p /var/lib/docker
mount --bind "$hd/docker" /var/lib/docker
mount --bind "$hd/run" /run
mount --bind "$hd/root" /root
mount --bind "$hd/tmp" /tmp
for tool in systemctl journalctl; do
  [[ -e /usr/bin/$tool ]] && mount --bind "/usr/local/sbin/$tool" "/usr/bin/$tool"
done
hostname "opsctl-h$n"

mkdir -p /run/sshd /run/lock /run/sudo /var/log/opsctl-test
chmod 0755 /run/sshd
/usr/sbin/sshd -D -e -f /etc/ssh/sshd_config >> /var/log/opsctl-test/sshd.log 2>&1 < /dev/null &
sshd_pid=$!

stopping=0
shutdown() {
  stopping=1
  systemctl stop workspace-app >/dev/null 2>&1 || true
  systemctl stop docker >/dev/null 2>&1 || true
  kill "$sshd_pid" 2>/dev/null || true
  exit 0
}
trap shutdown TERM INT

systemctl start docker || echo "hostinit: docker did not start (see /var/log/opsctl-test/docker.log)" >&2
systemctl start workspace-app || echo "hostinit: workspace-app did not start" >&2
echo "$$" > /run/opsctl-ready

while [[ $stopping == 0 ]]; do
  sleep 3600 & wait $! || true
done
