#!/usr/bin/env bash
# Builds auditmd and installs it into PREFIX: meson setup in BUILDDIR, the
# installed targets only (not the tests, benchmarks or fuzzers), meson
# install. The same steps everywhere auditmd is built to be installed:
# tests/install.sh, the Dockerfile and the GitHub Action (action.yml).
#
#   scripts/build.sh [--deps] [--bundle] BUILDDIR PREFIX [MESON_OPTION...]
#
# --deps    first install the Debian packages the build needs (scripts/deps.sh)
# --bundle  then make PREFIX stand alone: scripts/bundle.sh PREFIX
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
deps=0 bundle=0
while [ $# -gt 0 ]; do
  case $1 in
    --deps) deps=1; shift ;;
    --bundle) bundle=1; shift ;;
    *) break ;;
  esac
done
[ $# -ge 2 ] || { sed -n 's/^#   //p' "$0" >&2; exit 2; }
build=$1 prefix=$2
shift 2
if [ "$deps" = 1 ]; then
  . "$src/scripts/deps.sh"
  am_install_build_deps
fi
if [ -d "$build" ]; then
  meson setup --reconfigure "$build" "$src" --prefix="$prefix" -Dshared_dir= -Dfuzzing=false "$@"
else
  meson setup "$build" "$src" --prefix="$prefix" -Dshared_dir= -Dfuzzing=false "$@"
fi
# Files that setup already wrote (the generated version.h) are no targets.
mapfile -t targets < <(meson introspect --installed "$build" | jq -r 'keys[]' |
  sed -n "s|^$build/||p" | grep -v '^meson-private/' | while read -r t; do [ -e "$build/$t" ] || echo "$t"; done)
[ ${#targets[@]} -gt 0 ] || { echo "build.sh: meson lists nothing to install" >&2; exit 1; }
ninja -C "$build" "${targets[@]}"
meson install -C "$build" --no-rebuild
if [ "$bundle" = 1 ]; then
  "$src/scripts/bundle.sh" "$prefix"
fi
