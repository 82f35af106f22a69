#!/usr/bin/env bash
# Runs every test of the hub, integration tests included, against real servers that the tests start themselves
# (a throwaway rabbitmq-server node and PostgreSQL cluster per test assembly; see tests/Hub.Testing).
#
#   ./test.sh                                  restore, build (warnings are errors), run all tests
#   ./test.sh --filter 'Category!=Integration' extra arguments go to `dotnet test` (here: only the fast tests)
#
# Installs the server packages the tests need when they are missing and this user may (root or passwordless sudo).
# Ends with a line "Total: N passed, N failed, N skipped"; exits non-zero when anything failed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

log() { printf '==> %s\n' "$*" >&2; }

# --- Server packages -------------------------------------------------------------------------------------------------

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo "$@"
  else
    return 1
  fi
}

can_install() {
  command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; }
}

missing=()
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
if grep -q "Microsoft.Playwright" tests/*/*.csproj && ! command -v chromium >/dev/null 2>&1; then
  missing+=(chromium)
fi

if [ "${#missing[@]}" -gt 0 ]; then
  if can_install; then
    log "Installing ${missing[*]}"
    # Keep the packages from starting their system services: the tests start their own servers.
    policy=/usr/sbin/policy-rc.d
    added_policy=false
    if [ ! -e "$policy" ]; then
      as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod +x $policy"
      added_policy=true
    fi
    apt_install() { as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"; }
    if ! apt_install "${missing[@]}"; then
      as_root apt-get update
      apt_install "${missing[@]}"
    fi
    if [ "$added_policy" = true ]; then
      as_root rm -f "$policy"
    fi
    # Stop and disable whatever the packages started or enabled anyway.
    for service in rabbitmq-server postgresql; do
      if [ -d /run/systemd/system ]; then
        as_root systemctl disable --now "$service" >/dev/null 2>&1 || true
      elif command -v service >/dev/null 2>&1; then
        as_root service "$service" stop >/dev/null 2>&1 || true
      fi
    done
  else
    log "Missing ${missing[*]} and not permitted to install (run as root or with sudo, or: sudo apt-get install -y ${missing[*]})."
    log "The integration tests will fail and say what to install."
  fi
fi

# --- Build and test --------------------------------------------------------------------------------------------------

command -v dotnet >/dev/null 2>&1 || { log "dotnet not found: install the .NET SDK named in global.json."; exit 1; }

log "dotnet restore"
dotnet restore Hub.sln

log "dotnet build (Release, warnings as errors)"
dotnet build Hub.sln -c Release --no-restore -warnaserror

log "dotnet test (all tests, integration included)"
output="$(mktemp)"
trap 'rm -f "$output"' EXIT
status=0
dotnet test Hub.sln -c Release --no-build \
  --logger "console;verbosity=minimal" \
  --blame-hang-timeout 15m --blame-hang-dump-type none \
  "$@" 2>&1 | tee "$output" || status=$?

# One summary per test assembly, e.g. "Passed!  - Failed:     0, Passed:    12, Skipped:     1, Total:    13, ...".
summaries="$(sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$output" | grep -E '^(Passed|Failed)! +- Failed: ' || true)"
read -r passed failed skipped < <(
  printf '%s\n' "$summaries" | grep -E '^(Passed|Failed)! ' \
    | awk -F'[:,]' '{ f += $2; p += $4; s += $6 } END { printf "%d %d %d\n", p, f, s }'
)
assemblies="$(printf '%s\n' "$summaries" | grep -cE '^(Passed|Failed)! ' || true)"
echo
echo "Test assemblies: ${assemblies}"
echo "Total: ${passed} passed, ${failed} failed, ${skipped} skipped"

if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  exit 1
fi
