#!/usr/bin/env bash
# Installs, with Debian's apt-get, the real servers and tools the test suite runs against.
# Idempotent: a package is installed only when its command (or file) is missing, and
# `apt-get update` runs at most once, only when something is missing.
# Installed services are never left running: the tests start their own instances.
set -euo pipefail

# One line per need: "<command on PATH, or absolute path/glob>  <Debian package>".
# To add a tool for a later milestone, add one line here.
REQUIRED=(
  "curl                  curl"
  "openssl               openssl"
  "wrk                   wrk"
  "/usr/bin/prometheus   prometheus"
  "/usr/bin/promtool     prometheus"
  "/usr/bin/prometheus-pushgateway  prometheus-pushgateway"
  "/usr/lib/postgresql/*/bin/pg_ctl  postgresql"
  "/usr/sbin/mariadbd                mariadb-server"
  "redis-server                      redis-server"
  "memcached                         memcached"
  "/usr/lib/python3/dist-packages/prometheus_client  python3-prometheus-client"
)

log() { printf 'install-test-tools: %s\n' "$*"; }

present() {
  local check=$1
  if [[ $check == */* ]]; then
    compgen -G "$check" >/dev/null
  else
    command -v "$check" >/dev/null 2>&1
  fi
}

missing_pkgs=()
for entry in "${REQUIRED[@]}"; do
  read -r check pkg <<<"$entry"
  if present "$check"; then
    log "ok: $check (package $pkg)"
  else
    log "missing: $check (package $pkg)"
    if [[ " ${missing_pkgs[*]-} " != *" $pkg "* ]]; then
      missing_pkgs+=("$pkg")
    fi
  fi
done

if [[ ${#missing_pkgs[@]} -eq 0 ]]; then
  log "all test tools present, nothing to install"
  exit 0
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    log "not root and no sudo: cannot install ${missing_pkgs[*]}" >&2
    exit 1
  fi
fi

# Keep maintainer scripts from starting services (there is no systemd here, and the
# tests start their own servers): a policy-rc.d that answers 101 "action forbidden".
# An existing policy-rc.d is left alone; ours is removed again on exit.
POLICY=/usr/sbin/policy-rc.d
created_policy=false
cleanup() {
  if $created_policy; then
    "${SUDO[@]}" rm -f "$POLICY"
  fi
}
trap cleanup EXIT
if [[ ! -e $POLICY ]]; then
  printf '#!/bin/sh\n# written by install-test-tools.sh: no service starts during install\nexit 101\n' \
    | "${SUDO[@]}" tee "$POLICY" >/dev/null
  "${SUDO[@]}" chmod 755 "$POLICY"
  created_policy=true
fi

# Processes of the packages' daemons already running before we install (not ours to touch).
daemon_pids() { pgrep -x 'prometheus|postgres|mariadbd|mysqld|redis-server|memcached' 2>/dev/null || true; }
before_pids=$(daemon_pids)

export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-y -q -o DPkg::Lock::Timeout=600
          -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

log "installing: ${missing_pkgs[*]}"
log "apt-get update"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600 update
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install "${APT_OPTS[@]}" --no-install-recommends "${missing_pkgs[@]}"

# Should policy-rc.d have been bypassed, stop any daemon the install itself started
# (only processes that did not exist before, by their pid).
for pid in $(daemon_pids); do
  if ! grep -qx "$pid" <<<"$before_pids"; then
    log "stopping daemon started by the install: pid $pid ($(ps -o comm= -p "$pid" 2>/dev/null || true))"
    "${SUDO[@]}" kill "$pid" 2>/dev/null || true
  fi
done

# Everything must now be present.
failed=false
for entry in "${REQUIRED[@]}"; do
  read -r check pkg <<<"$entry"
  if ! present "$check"; then
    log "still missing after install: $check (package $pkg)" >&2
    failed=true
  fi
done
if $failed; then exit 1; fi
log "installed: ${missing_pkgs[*]}"
