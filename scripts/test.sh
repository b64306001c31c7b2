#!/usr/bin/env bash
# Runs the whole test suite: first the fast tier of tests of the code alone, then the tests of
# the real parts. Installs, on Debian, the real peers that those tests start themselves
# (net-snmp's snmpd, the snmp tools, snmpsim, Chromium), then runs Maven. Extra arguments go to
# Maven:
#   scripts/test.sh -Dtest=FixturesTest
#   scripts/test.sh --unit                 # the fast tier alone, in well under a minute
# The tests start their own snmpd/snmpsimd on free 127.0.0.1 ports; this script never starts
# (and never stops) the system snmpd service.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# --unit: only the fast first tier (tests of the code alone, @Unit): no packages, no agents,
# seconds. Anything after it still goes to Maven.
if [ "${1:-}" = "--unit" ]; then
  shift
  exec ./mvnw -B test -Difpulse.unitOnly=true "$@"
fi


pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

have_cmd() {
  # /usr/sbin is not on every user's PATH, hence the explicit check.
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]
}

missing=()
need() { # need <debian-package> <command it provides>
  if ! have_cmd "$2" || ! pkg_installed "$1"; then
    missing+=("$1")
  fi
}
need snmpd snmpd
# The snmp tools: snmpget and snmpwalk for the agents, snmptrap and snmpinform for the receiver (io.ifpulse.traps).
need snmp snmpget
need snmp snmptrap
need snmpsim snmpsimd
# BenchSmokeTest runs the benchmark harness for a few seconds against its peers.
need prometheus-snmp-exporter prometheus-snmp-exporter
# Maven itself comes from the Maven Wrapper (./mvnw, the version in .mvn/wrapper); it needs a JDK.
have_cmd javac || missing+=(default-jdk-headless)

# --- Hook: browser tests for the dashboard ----------------------------------------------------
# DashboardBrowserTest drives Debian's headless Chromium (/usr/bin/chromium) through its
# chromedriver (/usr/bin/chromedriver). The dashboard has no build step (plain JS in webroot/,
# uPlot and sockjs-client come from Maven webjars), so there is no npm install.
need chromium chromium
need chromium-driver chromedriver
# ----------------------------------------------------------------------------------------------

# shellcheck source=scripts/apt-install.sh
. scripts/apt-install.sh
apt_install "${missing[@]}"

./mvnw -B test "$@"
