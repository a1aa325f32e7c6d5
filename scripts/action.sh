#!/usr/bin/env bash
# The steps of the GitHub Action (action.yml), one subcommand each, run by
# its `run:` steps with GitHub's variables (GITHUB_ACTION_PATH,
# GITHUB_OUTPUT, GITHUB_PATH, GITHUB_STEP_SUMMARY, RUNNER_TEMP, ...) and the
# step's env:
#
#   action.sh where     the install prefix and the cache key (outputs prefix, key)
#   action.sh install   auditmd from $AUDITMD, the cached $PREFIX, or built there
#   action.sh run       check ($EVENT a pull request; --baseline $BASELINE when
#                       set) or verify (otherwise): SARIF, annotations, the
#                       job summary, the report (outputs exit-code, sarif,
#                       report); never fails itself
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

output() { printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"; }

where() {
  [ -n "${AUDITMD:-}" ] && { output prefix ""; output key ""; return 0; }
  # The sources that make the installed files, and the system they are
  # built on (their libraries are bundled from it).
  local sources system
  sources=$(cd "$here" && find meson.build meson_options.txt src include templates docs completions \
    scripts/build.sh scripts/bundle.sh scripts/deps.sh -type f -print0 | sort -z | xargs -0 sha256sum |
    sha256sum | cut -c1-16)
  # shellcheck disable=SC1091 # the system's own file
  system=$( . /etc/os-release 2>/dev/null; echo "${ID:-linux}-${VERSION_ID:-0}")-$(uname -m)
  output prefix "${RUNNER_TOOL_CACHE:-$RUNNER_TEMP}/auditmd/$sources"
  output key "auditmd-$system-$sources"
}

install() {
  local bin
  if [ -n "${AUDITMD:-}" ]; then
    bin=$RUNNER_TEMP/auditmd-bin
    mkdir -p "$bin"
    ln -sf "$(readlink -f "$AUDITMD")" "$bin/auditmd"
  else
    bin=$PREFIX/bin
    if ! "$bin/auditmd" --version >/dev/null 2>&1; then
      echo "::group::Build auditmd"
      "$here/scripts/build.sh" --deps --bundle "$RUNNER_TEMP/auditmd-build" "$PREFIX" -Dbuildtype=release ||
        { echo "::endgroup::"; echo "::error title=auditmd::the build failed"; return 1; }
      echo "::endgroup::"
    fi
  fi
  echo "$bin" >>"$GITHUB_PATH"
  "$bin/auditmd" --version | head -1
}

# The audits: $AUDITS (words), else those check reads (configured or found).
audit_list() {
  if [ -n "${AUDITS:-}" ]; then
    # shellcheck disable=SC2086 # the audits are words
    printf '%s\n' $AUDITS
  else
    auditmd check --base HEAD --format json --fail-on none |
      python3 -c 'import json, sys; print("\n".join(a["path"] for a in json.load(sys.stdin)["audits"]))'
  fi
}

run() {
  local out=$RUNNER_TEMP/auditmd worst=0 rc audits=()
  rm -rf "$out"
  mkdir -p "$out/sarif"
  # libgit2, as git, refuses a checkout owned by another user (a container).
  git config --global --get-all safe.directory 2>/dev/null | grep -qxF "$GITHUB_WORKSPACE" ||
    git config --global --add safe.directory "$GITHUB_WORKSPACE"
  # shellcheck disable=SC2206 # the audits are words
  audits=(${AUDITS:-})
  keep() { [ "$1" -gt "$worst" ] && worst=$1; return 0; }
  case ${EVENT:-} in
    pull_request | pull_request_target | merge_group)
      if [ -z "${BASE:-}" ]; then
        echo "::error title=auditmd::no base revision: give the action's base input"
        output exit-code 2
        return 0
      fi
      local baseline=()
      [ -n "${BASELINE:-}" ] && baseline=(--baseline "$BASELINE")
      auditmd check --base "$BASE" "${baseline[@]}" --format sarif --fail-on none -o "$out/sarif/check.sarif" "${audits[@]}"
      keep $?
      auditmd check --base "$BASE" "${baseline[@]}" --format md --fail-on none -o "$out/report.md" "${audits[@]}"
      keep $?
      # Annotations, the report in the job summary, and the verdict.
      auditmd check --base "$BASE" "${baseline[@]}" --format github --fail-on "$FAIL_ON" "${audits[@]}"
      keep $?
      [ -s "$out/report.md" ] && output report "$out/report.md"
      ;;
    *)
      local n=0 a fail=()
      # verify fails by its states: none passes its --fail-on on, a kind of check does not.
      [ "${FAIL_ON:-}" = none ] && fail=(--fail-on none)
      while IFS= read -r a; do
        [ -n "$a" ] || continue
        n=$((n + 1))
        auditmd verify --format sarif --fail-on none -o "$out/sarif/verify-$n.sarif" "HEAD:$a"
        keep $?
        auditmd verify --format github "${fail[@]}" "HEAD:$a"
        rc=$?
        keep "$rc"
      done < <(audit_list)
      ;;
  esac
  ls "$out/sarif"/*.sarif >/dev/null 2>&1 && output sarif "$out/sarif"
  output exit-code "$worst"
}

case ${1:-} in
  where) where ;;
  install) install ;;
  run) run ;;
  *) sed -n 's/^#   //p' "$0" >&2; exit 2 ;;
esac
