# Shared by the scripts in this folder: system packages, the virtualenv, catalogs.
# Source it; it changes into the repository root.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${PLENARY_VENV:-$ROOT/.venv}"
export PATH="$VENV/bin:$PATH"
export DJANGO_SETTINGS_MODULE=plenary.config.settings

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# need_debs PKG...: install missing Debian packages, or stop with the exact
# command when we are not root (never skip silently).
need_debs() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    say "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    say "Installing Debian packages with sudo: ${missing[*]}"
    sudo sh -c "$cmd"
  else
    echo "Plenary needs these Debian packages: ${missing[*]}" >&2
    echo "Run this as root, then run me again:" >&2
    echo "  sudo sh -c '$cmd'" >&2
    exit 1
  fi
}

# Debian packages every mode needs: gettext compiles the six catalogs; Janus
# is the media server; Pango and the Noto fonts render PDFs in all six
# languages (Arabic shaping, CJK); espeak-ng is the fallback voice; LibreOffice
# (without its desktop parts) converts Office documents to PDF, and poppler reads PDFs
# (pages, text, page images); ffmpeg packages the recordings (HLS, per-language audio),
# and janus-tools' janus-pp-rec reads the video Janus recorded (.mjr).
base_debs() {
  need_debs gettext janus ca-certificates libpango-1.0-0 libpangoft2-1.0-0 \
    fonts-noto-core fonts-noto-cjk espeak-ng \
    libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui poppler-utils \
    ffmpeg janus-tools
}

# The virtualenv, re-synced only when the lock file changes.
ensure_venv() {
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then need_debs python3-venv; fi
  [ -x "$VENV/bin/python" ] || { say "Creating $VENV"; python3 -m venv "$VENV"; }
  local stamp="$VENV/.plenary-lock" want
  want="$(cat requirements/lock.txt pyproject.toml | sha256sum | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "Installing Python packages from requirements/lock.txt"
    "$VENV/bin/python" -m pip install -q --upgrade pip uv==0.13.9
    "$VENV/bin/uv" pip install --python "$VENV/bin/python" -q -r requirements/lock.txt
    "$VENV/bin/uv" pip install --python "$VENV/bin/python" -q --no-deps -e .
    echo "$want" >"$stamp"
  fi
}

# Janus encrypts every packet to every listener with libsrtp. Debian's
# libsrtp2 is built on NSS, whose per-packet PKCS#11 calls took a third of
# Janus's time in the media benchmark; Janus's own README asks for libsrtp
# built on OpenSSL. So we build the installed release from Debian's source
# package with --enable-openssl (a few seconds) into $JANUS_LIB, and the Janus
# that Plenary starts loads it first (LD_LIBRARY_PATH; see
# plenary.media.janus.process). If this cannot be done, Janus keeps Debian's
# library: the same behaviour, at a higher CPU cost per listener.
JANUS_LIB="$VENV/lib/plenary-janus"
janus_srtp() {
  local version work apt_dir
  version="$(dpkg-query -W -f='${Version}' libsrtp2-1 2>/dev/null)" || return 0
  [ "$(cat "$JANUS_LIB/version" 2>/dev/null)" = "$version" ] && return 0
  need_debs gcc libc6-dev make pkg-config libssl-dev dpkg-dev  # gcc only recommends libc6-dev
  say "Building libsrtp2 $version on OpenSSL for Janus"
  work="$(mktemp -d)"
  apt_dir="$work/apt"
  mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
  # The system's own archives, as source archives, in a private apt state.
  for f in /etc/apt/sources.list.d/*.sources; do
    if [ -f "$f" ]; then
      sed 's/^Types:.*/Types: deb-src/' "$f" >"$apt_dir/sources.list.d/$(basename "$f")"
    fi
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    if [ -f "$f" ]; then sed -n 's/^deb \(.*\)/deb-src \1/p' "$f"; fi
  done >"$apt_dir/sources.list"
  local apt=(apt-get -qq -o "Dir::Etc::sourcelist=$apt_dir/sources.list"
    -o "Dir::Etc::sourceparts=$apt_dir/sources.list.d" -o "Dir::State::Lists=$apt_dir/lists"
    -o "Dir::Cache=$apt_dir/cache" -o "APT::Sandbox::User=$(id -un)")
  # The installed release if the archive still has it, else its current one (same ABI).
  if (cd "$work" && "${apt[@]}" update &&
    { "${apt[@]}" source "libsrtp2=$version" || "${apt[@]}" source libsrtp2; }) >"$work/log" 2>&1 &&
    (cd "$work"/libsrtp2-*/ && ./configure --enable-openssl && make -j"$(nproc)" shared_library) \
      >>"$work/log" 2>&1; then
    mkdir -p "$JANUS_LIB"
    cp -L "$work"/libsrtp2-*/libsrtp2.so.1 "$JANUS_LIB/"
    echo "$version" >"$JANUS_LIB/version"
  else
    say "Could not build libsrtp2 on OpenSSL (log: $work/log); Janus uses Debian's"
    return 0
  fi
  rm -rf "$work"
}

# The npm packages, installed once from the npm registry at pinned versions into
# the virtualenv; nothing is fetched at run time. hls.js plays the recordings
# (served as a static file, see settings.STATICFILES_DIRS); axe-core holds the
# accessibility rules the browser walk injects into each page
# (tests/e2e/test_role_walk.py). One install for both: npm prunes what a later
# install does not name.
AXE_VERSION=4.14.1
HLS_VERSION=1.6.15
NODE_DIR="$VENV/node"
node_packages() {
  local axe="$NODE_DIR/node_modules/axe-core/package.json"
  local hls="$NODE_DIR/node_modules/hls.js/package.json"
  if [ -f "$axe" ] && grep -q "\"version\": \"$AXE_VERSION\"" "$axe" \
    && [ -f "$hls" ] && grep -q "\"version\": \"$HLS_VERSION\"" "$hls"; then return 0; fi
  command -v npm >/dev/null || need_debs npm
  say "Installing axe-core $AXE_VERSION and hls.js $HLS_VERSION"
  mkdir -p "$NODE_DIR"
  npm install --prefix "$NODE_DIR" --no-audit --no-fund --no-save --silent \
    "axe-core@$AXE_VERSION" "hls.js@$HLS_VERSION"
}

compile_catalogs() {
  (cd src/plenary && plenary compilemessages -v0 --ignore='.venv')
}
