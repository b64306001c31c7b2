#!/usr/bin/env bash
# The soak (docs/RELIABILITY.md): scenario 2's load on a 3-node cluster with browsers coming and
# going, devices added and removed over REST, agents restarting and a node killed (kill -9) and
# started again every few minutes; per-minute heap after GC, threads, fds, RSS, sequence gaps and
# poll lateness, and a verdict on their slopes. Exits non-zero, naming the figure, when it fails.
#   scripts/soak.sh 2                  # two hours
#   scripts/soak.sh --minutes 20       # a short run
#   scripts/soak.sh 2 --out DIR        # more options go to io.ifpulse.bench.Soak
# Results: target/soak/soak.csv (the series) and soak.json (slopes and verdict), or --out DIR.
# Everything runs on 127.0.0.1.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ $# -lt 1 ]; then
  echo "usage: scripts/soak.sh HOURS [options] | scripts/soak.sh --minutes N [options]" >&2
  exit 2
fi
args=()
case "$1" in
  --minutes) args+=(--minutes "$2"); shift 2 ;;
  -*) ;;
  *) args+=(--hours "$1"); shift ;;
esac
args+=("$@")

command -v jcmd >/dev/null 2>&1 || { echo "soak: jcmd (a JDK) is needed to measure heap after GC" >&2; exit 2; }

BUILD="${IFPULSE_BUILD_DIR:-$PWD/target}"
./mvnw -q -B -Difpulse.buildDir="$BUILD" test-compile dependency:build-classpath -Dmdep.outputFile="$BUILD/soak-cp.txt"
CP="$BUILD/test-classes:$BUILD/classes:$(cat "$BUILD/soak-cp.txt")"
exec java -XX:+UseSerialGC -Xmx512m -cp "$CP" io.ifpulse.bench.Soak "${args[@]}"
