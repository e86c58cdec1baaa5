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
# languages (Arabic shaping, CJK); espeak-ng is the fallback voice.
base_debs() {
  need_debs gettext janus ca-certificates libpango-1.0-0 libpangoft2-1.0-0 \
    fonts-noto-core fonts-noto-cjk espeak-ng
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

compile_catalogs() {
  (cd src/plenary && plenary compilemessages -v0 --ignore='.venv')
}
