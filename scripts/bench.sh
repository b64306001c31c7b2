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


missing=()
command -v prometheus-snmp-exporter >/dev/null 2>&1 || missing+=(prometheus-snmp-exporter)
command -v snmpbulkwalk >/dev/null 2>&1 || missing+=(snmp)
command -v tc >/dev/null 2>&1 || missing+=(iproute2)
# Maven comes from the Maven Wrapper (./mvnw).
command -v jcmd >/dev/null 2>&1 || missing+=(default-jdk-headless)
# shellcheck source=scripts/apt-install.sh
. scripts/apt-install.sh
apt_install "${missing[@]}"

BUILD="${IFPULSE_BUILD_DIR:-$PWD/target}"
./mvnw -q -B -Difpulse.buildDir="$BUILD" test-compile dependency:build-classpath -Dmdep.outputFile="$BUILD/bench-cp.txt"
CP="$BUILD/test-classes:$BUILD/classes:$(cat "$BUILD/bench-cp.txt")"
exec java -XX:+UseSerialGC -Xmx1g -cp "$CP" io.ifpulse.bench.Bench "$@"
