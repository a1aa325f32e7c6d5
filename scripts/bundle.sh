#!/usr/bin/env bash
# Makes an installed auditmd stand alone in PREFIX, for a cache or a
# container image that lacks the build's libraries: the shared libraries
# the binary loads (all but the C library's own) are copied into
# PREFIX/lib/auditmd, the binary moves to PREFIX/libexec/auditmd/, and
# PREFIX/bin/auditmd becomes a shell script that runs it with those
# libraries first. Running it twice changes nothing.
#
#   scripts/bundle.sh PREFIX
set -euo pipefail
[ $# = 1 ] || { sed -n 's/^#   //p' "$0" >&2; exit 2; }
prefix=$(cd "$1" && pwd)
bin=$prefix/bin/auditmd real=$prefix/libexec/auditmd/auditmd libs=$prefix/lib/auditmd
if [ ! -e "$real" ]; then
  mkdir -p "${real%/*}"
  mv "$bin" "$real"
fi
mkdir -p "$libs"
# The C library's own (libc, libm, libpthread, libdl, librt, libresolv, the
# loader) come with every system and must match it: not copied.
ldd "$real" | awk '/=> \// { print $3 }' | while read -r lib; do
  case ${lib##*/} in
    libc.so.* | libm.so.* | libpthread.so.* | libdl.so.* | librt.so.* | libresolv.so.* | ld-linux*) ;;
    *) cp -L "$lib" "$libs/" ;;
  esac
done
cat >"$bin" <<'SH'
#!/bin/sh
# auditmd with the shared libraries it was built with (scripts/bundle.sh).
here=$(dirname "$(readlink -f "$0")")
LD_LIBRARY_PATH="$here/../lib/auditmd${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export LD_LIBRARY_PATH
exec "$here/../libexec/auditmd/auditmd" "$@"
SH
chmod 755 "$bin"
