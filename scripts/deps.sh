# shellcheck shell=bash
# Installs the Debian packages auditmd needs, when missing. Sourced by
# scripts/test.sh and scripts/demo.sh (build and test), and by
# scripts/build.sh --deps (build only: the Action, the Dockerfile).
am_build_packages="meson ninja-build pkg-config gcc libcmark-gfm-dev libcmark-gfm-extensions-dev \
libgit2-dev libpcre2-dev libjansson-dev check jq git"
am_packages="$am_build_packages valgrind cmark-gfm"
# am_install_packages PACKAGE...: those not installed yet.
am_install_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}
# am_install_deps [PACKAGE...]: what building and testing need, and more.
am_install_deps() {
  # shellcheck disable=SC2086 # the lists are words
  am_install_packages $am_packages "$@"
}
# am_install_build_deps: what building needs.
am_install_build_deps() {
  # shellcheck disable=SC2086
  am_install_packages $am_build_packages
}
