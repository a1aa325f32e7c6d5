#!/usr/bin/env bash
# Installs the project into a temporary prefix from a build directory of its
# own (the main build is left alone), then checks the installed tree (binary,
# library, headers, auditmd.pc, templates, man pages, completions) and builds
# examples/c-api/audit-summary.c against it with pkg-config: its counts and
# resolved findings must be those of 'auditmd diff --format json'.
# usage: install.sh SOURCE_ROOT
set -u
SRC=$1
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || { echo "jq is required (scripts/test.sh installs it)"; exit 1; }
command -v pkg-config >/dev/null || { echo "pkg-config is required (scripts/test.sh installs it)"; exit 1; }
CC=${CC:-cc}
prefix=$tmp/prefix
b=$tmp/b

# --- scripts/build.sh: meson setup, the installed targets, meson install ------
# (the steps the Dockerfile and the GitHub Action take)
if "$SRC/scripts/build.sh" "$b" "$prefix" >"$tmp/log" 2>&1; then
  ok "scripts/build.sh BUILDDIR PREFIX"
else
  fail "scripts/build.sh BUILDDIR PREFIX" "$(tail -20 "$tmp/log")"; finish; exit
fi
[ ! -e "$b/tests/test_util" ] && ok "only the installed targets were built" || fail "only the installed targets were built"

# --- the installed tree ----------------------------------------------------------
has() { [ -e "$prefix/$1" ] && ok "installed: $1" || fail "installed: $1" "missing $prefix/$1"; }
has bin/auditmd
[ -x "$prefix/bin/auditmd" ] && "$prefix/bin/auditmd" --version >/dev/null 2>&1 &&
  ok "installed auditmd runs" || fail "installed auditmd runs"
for h in "$SRC"/include/auditmd/*.h; do has "include/auditmd/${h##*/}"; done
# The version: written once, in meson.build; the generated header and the
# program say the same.
version=$(sed -n "s/^ *version : '\(.*\)',$/\1/p" "$SRC/meson.build")
has include/auditmd/version.h
grep -qxF "#define AUDITMD_VERSION \"$version\"" "$prefix/include/auditmd/version.h" 2>/dev/null &&
  ok "installed version.h: AUDITMD_VERSION \"$version\"" ||
  fail "installed version.h: AUDITMD_VERSION \"$version\"" "$(grep -s 'define AUDITMD_VERSION ' "$prefix/include/auditmd/version.h")"
got=$("$prefix/bin/auditmd" --version 2>&1 | head -1)
[ "$got" = "auditmd $version" ] && ok "auditmd --version: auditmd $version" ||
  fail "auditmd --version: auditmd $version" "got: $got"
pc=$(find "$prefix" -name auditmd.pc | head -1)
[ -n "$pc" ] && ok "installed: auditmd.pc (${pc#$prefix/})" || fail "installed: auditmd.pc"
libdir=$(find "$prefix" -name 'libauditmd.so.*' -type f -printf '%h\n' | head -1)
[ -n "$libdir" ] && [ -e "$libdir/libauditmd.so" ] && ok "installed: libauditmd.so and its version" ||
  fail "installed: libauditmd.so" "$(find "$prefix" -name 'libauditmd*')"
for t in "$SRC"/templates/*.mustache; do has "share/auditmd/templates/${t##*/}"; done
# The pages of every command, and whatever else docs/ has.
for m in $( (printf '%s.1\n' auditmd auditmd-compile auditmd-diff auditmd-verify auditmd-log auditmd-render auditmd-lint
  cd "$SRC/docs" && ls -- *.1) | sort -u); do
  has "share/man/man1/$m"
done
if command -v man >/dev/null; then
  got=$(man -M "$prefix/share/man" -w auditmd-verify 2>&1)
  [ "$got" = "$prefix/share/man/man1/auditmd-verify.1" ] && ok "man finds auditmd-verify(1) in the prefix" ||
    fail "man finds auditmd-verify(1) in the prefix" "man -w said: $got"
fi
has share/doc/auditmd/LICENSE
has share/doc/auditmd/CHANGELOG.md
license=$(sed -n "s/^ *license : '\(.*\)',$/\1/p" "$SRC/meson.build")
[ -n "$license" ] && [ "$(head -1 "$SRC/LICENSE")" = "$license License" ] &&
  ok "LICENSE is the license meson.build names ($license)" || fail "LICENSE is the license meson.build names" "$license / $(head -1 "$SRC/LICENSE")"
grep -q '^## \[Unreleased\]$' "$SRC/CHANGELOG.md" && ok "CHANGELOG.md has an Unreleased section" || fail "CHANGELOG.md has an Unreleased section"
has share/bash-completion/completions/auditmd
has share/zsh/site-functions/_auditmd
got=$(bash -c '. "$1" && complete -p auditmd' _ "$prefix/share/bash-completion/completions/auditmd" 2>&1)
[ "$got" = "complete -F _auditmd auditmd" ] && ok "installed bash completion registers itself" ||
  fail "installed bash completion registers itself" "got: $got"

# --- pkg-config and the C example ------------------------------------------------
export PKG_CONFIG_PATH=${pc%/*}
[ "$(pkg-config --modversion auditmd)" = "$version" ] &&
  ok "pkg-config --modversion auditmd" || fail "pkg-config --modversion auditmd" "got $(pkg-config --modversion auditmd 2>&1)"
flags=$(pkg-config --cflags --libs auditmd 2>&1)
case $flags in
  *"-I$prefix/include"*"-L$libdir"*) ok "pkg-config points into the prefix" ;;
  *) fail "pkg-config points into the prefix" "got: $flags" ;;
esac
# shellcheck disable=SC2086 # the flags are words
if "$CC" -std=c11 -Wall -Wextra -Werror -o "$tmp/audit-summary" "$SRC/examples/c-api/audit-summary.c" $flags 2>"$tmp/err"; then
  ok "the example compiles against the installed library without warnings"
else
  fail "the example compiles against the installed library" "$(head -c 600 "$tmp/err")"; finish; exit
fi
LD_LIBRARY_PATH=$libdir ldd "$tmp/audit-summary" | grep -q "libauditmd.so.0 => $libdir/" &&
  ok "the example links the installed libauditmd" || fail "the example links the installed libauditmd" "$(LD_LIBRARY_PATH=$libdir ldd "$tmp/audit-summary")"

old=$SRC/examples/audit/PLATFORM_AUDIT-2026-01-15.md
new=$SRC/examples/audit/PLATFORM_AUDIT-2026-01-16.md
LD_LIBRARY_PATH=$libdir run "$tmp/audit-summary" "$old" "$new"
expect_rc 0 "the example on the two example audits"
[ ! -s "$tmp/err" ] && ok "the example prints nothing on stderr" || fail "the example prints nothing on stderr" "$(head -c 400 "$tmp/err")"
cp "$tmp/out" "$tmp/example"
"$prefix/bin/auditmd" diff --format json "$old" "$new" >"$tmp/diff.json" 2>/dev/null
jq -r '.summary | to_entries[] | "\(.key) \(.value)"' "$tmp/diff.json" | sort >"$tmp/want-counts"
grep -v '^resolved:' "$tmp/example" | sort >"$tmp/got-counts"
[ -s "$tmp/want-counts" ] && cmp -s "$tmp/want-counts" "$tmp/got-counts" &&
  ok "the example's counts are auditmd diff's summary" ||
  fail "the example's counts are auditmd diff's summary" "$(diff "$tmp/want-counts" "$tmp/got-counts" | tr '\n' ' ')"
grep -qx 'resolved 5' "$tmp/example" && ok "five findings resolved" || fail "five findings resolved"
jq -r '.changes[] | select(.kind == "resolved") | "resolved: \(.new.id) \(.new.title)"' "$tmp/diff.json" >"$tmp/want-resolved"
grep '^resolved:' "$tmp/example" >"$tmp/got-resolved"
[ -s "$tmp/want-resolved" ] && cmp -s "$tmp/want-resolved" "$tmp/got-resolved" &&
  ok "the example's resolved findings are auditmd diff's" ||
  fail "the example's resolved findings are auditmd diff's" "$(diff "$tmp/want-resolved" "$tmp/got-resolved" | tr '\n' ' ')"

# Failures come back through am_error_last().
LD_LIBRARY_PATH=$libdir run "$tmp/audit-summary" "$tmp/no-such.md" "$new"
expect_rc 1 "the example on a missing file"
expect_err "no-such.md: could not be read" "the example names the missing file"
printf '# Audit\0\n' >"$tmp/nul.md"
LD_LIBRARY_PATH=$libdir run "$tmp/audit-summary" "$tmp/nul.md" "$new"
expect_rc 1 "the example on an audit with a NUL byte"
expect_err "NUL byte" "the example prints am_error_last()"
LD_LIBRARY_PATH=$libdir run "$tmp/audit-summary" "$old"
expect_rc 2 "the example without two audits"

# The example frees everything it was given.
if command -v valgrind >/dev/null; then
  LD_LIBRARY_PATH=$libdir run valgrind -q --error-exitcode=9 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
    "$tmp/audit-summary" "$old" "$new"
  expect_rc 0 "the example under valgrind: no errors, no leaks"
  LD_LIBRARY_PATH=$libdir run valgrind -q --error-exitcode=9 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect "$tmp/audit-summary" "$tmp/nul.md" "$new"
  expect_rc 1 "the example's error path under valgrind: no errors, no leaks"
else
  echo "# SKIP valgrind is not installed: the example's frees are not checked" | tee /dev/stderr
fi

# --- scripts/bundle.sh: the installed auditmd standing alone --------------------
# A copy of the prefix, bundled: its libraries copied beside it, the C
# library's own left out, and it runs from another place with no
# LD_LIBRARY_PATH of its own; a second bundle changes nothing.
cp -a "$prefix" "$tmp/bundled"
if "$SRC/scripts/bundle.sh" "$tmp/bundled" >"$tmp/log" 2>&1 && "$SRC/scripts/bundle.sh" "$tmp/bundled" >>"$tmp/log" 2>&1; then
  ok "scripts/bundle.sh PREFIX, twice"
else
  fail "scripts/bundle.sh PREFIX, twice" "$(tail -5 "$tmp/log")"
fi
for l in libgit2 libcmark-gfm libpcre2-8 libjansson; do
  ls "$tmp/bundled/lib/auditmd/$l".so* >/dev/null 2>&1 && ok "bundled: $l" || fail "bundled: $l" "$(ls "$tmp/bundled/lib/auditmd")"
done
ls "$tmp/bundled/lib/auditmd" | grep -qE '^(libc|libm|ld-linux)[.-]' && fail "the C library is not bundled" || ok "the C library is not bundled"
mv "$tmp/bundled" "$tmp/moved"
got=$(env -i PATH=/usr/bin:/bin "$tmp/moved/bin/auditmd" --version 2>&1 | head -1)
[ "$got" = "auditmd $version" ] && ok "the bundled auditmd runs from another place" || fail "the bundled auditmd runs from another place" "got: $got"
LD_LIBRARY_PATH=$tmp/moved/lib/auditmd ldd "$tmp/moved/libexec/auditmd/auditmd" | grep -q "libgit2.so.* => $tmp/moved/lib/auditmd/" &&
  ok "the bundled auditmd loads the bundled libgit2" || fail "the bundled auditmd loads the bundled libgit2"

finish
