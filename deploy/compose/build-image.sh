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
debootstrap --variant=minbase --include="$packages" bookworm "$root" "$mirror"

mkdir -p "$root/opt/plenary" "$root/var/lib/plenary"
git -C "$here" ls-files -z | (cd "$here" && xargs -0 tar -c) | tar -C "$root/opt/plenary" -x
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
chroot "$root" bash -c 'cd /opt/plenary && source scripts/lib.sh && ensure_venv && compile_catalogs'
umount "$root/proc"
: > "$root/etc/resolv.conf"

tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/opt/plenary/.venv/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV DJANGO_SETTINGS_MODULE=plenary.config.settings' \
  --change 'WORKDIR /opt/plenary' \
  - "$tag"
echo "Built $tag"
