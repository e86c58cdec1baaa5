#!/bin/bash
# build-image.sh [TAG]: the one image of the compose trial, from Debian's packages only.
#
# A Debian bookworm root made with debootstrap, with Plenary's Debian packages, the
# server packages of a scale-out (PostgreSQL, Redis, haproxy, coturn) and this
# checkout at /opt/plenary with its virtualenv (made inside the root by the same
# scripts/lib.sh as on a host); then `docker import`: no image registry is used.
# Needs root, debootstrap and a Debian mirror (DEBIAN_MIRROR).
set -euo pipefail
tag="${1:-plenary:bookworm}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
root="$(mktemp -d /var/tmp/plenary-root.XXXXXX)"
trap 'umount -R "$root/proc" 2>/dev/null || true; rm -rf "$root"' EXIT

packages=python3,python3-venv,ca-certificates,git,janus,janus-tools,ffmpeg,gettext
packages+=,libpango-1.0-0,libpangoft2-1.0-0,fonts-noto-core,fonts-noto-cjk,espeak-ng
packages+=,libreoffice-writer-nogui,libreoffice-calc-nogui,libreoffice-impress-nogui
packages+=,poppler-utils,postgresql,redis-server,haproxy,coturn,clamav-daemon
# debootstrap's --include does not resolve alternatives ("dbus-session-bus |
# default-dbus-session-bus", needed by janus through libnice): apt inside the root does.
debootstrap --variant=minbase bookworm "$root" "$mirror"

mkdir -p "$root/opt/plenary" "$root/var/lib/plenary"
git -C "$here" ls-files -z | (cd "$here" && xargs -0 tar -c) | tar -C "$root/opt/plenary" -x
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
chroot "$root" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q --no-install-recommends ${packages//,/ }
chroot "$root" apt-get clean
# For the build only: the certificate authorities this host added (a site's proxy to the
# package registries) and its pip configuration; removed before the import.
cp -r /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
if [ -f /etc/pip.conf ]; then cp /etc/pip.conf "$root/etc/pip.conf"; fi
chroot "$root" update-ca-certificates >/dev/null
chroot "$root" bash -c 'cd /opt/plenary && source scripts/lib.sh && ensure_venv && compile_catalogs'
# hls.js, served to the webcast's pages: this checkout's copy when it has one (npm and
# node are not needed in the image), else npm inside the root.
if [ -d "$here/.venv/node/node_modules/hls.js" ]; then
  mkdir -p "$root/opt/plenary/.venv/node/node_modules"
  cp -r "$here/.venv/node/node_modules/hls.js" "$root/opt/plenary/.venv/node/node_modules/"
else
  chroot "$root" bash -c 'cd /opt/plenary && source scripts/lib.sh && node_packages'
fi
rm -f "$root/etc/pip.conf"
find "$root/usr/local/share/ca-certificates" -type f -delete
chroot "$root" update-ca-certificates --fresh >/dev/null
umount "$root/proc"
: > "$root/etc/resolv.conf"

tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/opt/plenary/.venv/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV DJANGO_SETTINGS_MODULE=plenary.config.settings' \
  --change 'WORKDIR /opt/plenary' \
  - "$tag"
echo "Built $tag"
