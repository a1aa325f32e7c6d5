# Installs the Debian packages auditmd needs to build and test, when missing.
# Sourced by scripts/test.sh and scripts/demo.sh.
am_packages="meson ninja-build pkg-config gcc libcmark-gfm-dev libcmark-gfm-extensions-dev \
libgit2-dev libpcre2-dev libjansson-dev check jq git valgrind cmark-gfm"
am_install_deps() {
  local missing=()
  for p in $am_packages "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}
