#!/usr/bin/env bash
# Runs the benchmarks (docs/BENCHMARKS.md) and prints a table; machine-readable results go to
# target/bench/results.json. Installs, on Debian, the peers it compares against
# (prometheus-snmp-exporter, net-snmp's snmpbulkwalk). Everything runs on 127.0.0.1.
#   scripts/bench.sh                         # all scenarios, 0 and 10 ms of added round trip
#   scripts/bench.sh --scenarios 1 --rtt 0   # one scenario
#   scripts/bench.sh --smoke                 # a few seconds of each, as CI runs it
# Adding round-trip time uses `tc qdisc ... netem` on lo (root needed); where that is not
# permitted the 10 ms runs are reported as skipped.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf 'bench.sh: %s\n' "$*" >&2; }

missing=()
command -v prometheus-snmp-exporter >/dev/null 2>&1 || missing+=(prometheus-snmp-exporter)
command -v snmpbulkwalk >/dev/null 2>&1 || missing+=(snmp)
command -v tc >/dev/null 2>&1 || missing+=(iproute2)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v jcmd >/dev/null 2>&1 || missing+=(default-jdk-headless)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=(); elif command -v sudo >/dev/null 2>&1; then SUDO=(sudo); else
    log "missing packages (${missing[*]}) and neither root nor sudo available; install them and rerun"
    exit 1
  fi
  log "installing: ${missing[*]}"
  # The exporter's package would start its service on :9116; keep every service down meanwhile.
  policy=/usr/sbin/policy-rc.d
  added_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
    "${SUDO[@]}" chmod 755 "$policy"
    added_policy=1
  fi
  cleanup_policy() { if [ "$added_policy" -eq 1 ]; then "${SUDO[@]}" rm -f "$policy"; fi; }
  trap cleanup_policy EXIT
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  cleanup_policy
  added_policy=0
  trap - EXIT
fi

BUILD="${IFPULSE_BUILD_DIR:-$PWD/target}"
mvn -q -B -Difpulse.buildDir="$BUILD" test-compile dependency:build-classpath -Dmdep.outputFile="$BUILD/bench-cp.txt"
CP="$BUILD/test-classes:$BUILD/classes:$(cat "$BUILD/bench-cp.txt")"
exec java -XX:+UseSerialGC -Xmx1g -cp "$CP" io.ifpulse.bench.Bench "$@"
