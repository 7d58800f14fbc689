#!/bin/bash
# Builds the test image 'workspace-base:latest' without a registry: a busybox-static rootfs with
# an 'appuser' (uid 1000, the image's default user), written twice into OUT_DIR:
#   workspace-base.tar         docker-save format, for 'docker load -i'
#   workspace-base-rootfs.tar  plain rootfs, for 'docker import --change "USER appuser"'
# Deterministic (fixed mtimes, numeric owners), so the image id is the same on every host.
set -euo pipefail
out=${1:?usage: mkimage.sh OUT_DIR}
busybox=$(command -v busybox) || { echo "mkimage: busybox not found (apt-get install busybox-static)" >&2; exit 1; }
! ldd "$busybox" >/dev/null 2>&1 \
  || { echo "mkimage: '$busybox' is not statically linked (apt-get install busybox-static)" >&2; exit 1; }

mkdir -p "$out"
[[ -s $out/workspace-base.tar && -s $out/workspace-base-rootfs.tar ]] && exit 0
work=$(mktemp -d "$out/.mkimage.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
mkdir -p "$root"/{bin,etc,tmp,proc,sys,dev,home/appuser,root,var/tmp}
chmod 1777 "$root/tmp" "$root/var/tmp"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [[ $applet == busybox ]] || ln -s busybox "$root/bin/$applet"
done
cat > "$root/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
appuser:x:1000:1000:appuser:/home/appuser:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
P
cat > "$root/etc/group" <<'G'
root:x:0:
appuser:x:1000:
nogroup:x:65534:
G
chown 1000:1000 "$root/home/appuser"
tar --sort=name --mtime=@0 --numeric-owner -C "$root" -cf "$work/layer.tar" .

diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
mkdir -p "$work/img/$diff_id"
mv "$work/layer.tar" "$work/img/$diff_id/layer.tar"
config='{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",'
config+='"config":{"User":"appuser","Env":["PATH=/bin"],"Cmd":["/bin/sh"],"WorkingDir":"/home/appuser"},'
config+='"rootfs":{"type":"layers","diff_ids":["sha256:'$diff_id'"]},'
config+='"history":[{"created":"1970-01-01T00:00:00Z","created_by":"opsctl testhosts mkimage.sh"}]}'
printf '%s' "$config" > "$work/img/config.json"
config_id=$(sha256sum "$work/img/config.json" | cut -d' ' -f1)
mv "$work/img/config.json" "$work/img/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["workspace-base:latest"],"Layers":["%s/layer.tar"]}]' \
  "$config_id" "$diff_id" > "$work/img/manifest.json"
tar --sort=name --mtime=@0 --numeric-owner -C "$work/img" -cf "$work/workspace-base.tar" .
cp "$work/img/$diff_id/layer.tar" "$work/workspace-base-rootfs.tar"
chmod 0644 "$work"/*.tar
mv "$work/workspace-base-rootfs.tar" "$out/"
mv "$work/workspace-base.tar" "$out/"
