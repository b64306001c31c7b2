#!/usr/bin/env bash
# Starts the ifpulse hub. With no arguments: the embedded default (conf/ifpulse.json), which polls
# simulated devices on 127.0.0.1 plus this machine's own interfaces. Builds first when the jar is
# missing or older than the sources.
#   scripts/run.sh                    # run the hub
#   scripts/run.sh --print | jq .     # also write every sample as a JSON line to stdout
#   scripts/run.sh --config my.json   # another config; --check validates it and exits
#   scripts/run.sh --cluster          # join/form the cluster of conf/cluster.xml (README: Running a cluster)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

jar=target/ifpulse.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml src/main -newer "$jar" -print -quit)" ]; then
  # The Maven Wrapper fetches the Maven of .mvn/wrapper once: a JDK is all this needs.
  echo "run.sh: building ifpulse (mvnw package)..." >&2
  ./mvnw -q -B -DskipTests package >&2
fi
# SerialGC: the live set is small, so pauses are short and rare; G1 paused 10-25 ms here, which
# shifts a 1 s rate by 1-2.5 % (docs/ARCHITECTURE.md, Timing).
# Hazelcast (cluster mode) reaches into these JDK internals for its metrics and networking.
opens="--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED"
# The JVM samples its performance counters (what jstat reads) every 50 ms by default: on an idle
# JVM here that is 0.74 of its 1.0 ms of CPU per second, a few per cent of a hub polling 20
# devices. Once a second is enough for jstat.
exec java ${IFPULSE_JAVA_OPTS:--XX:+UseSerialGC -Xms256m -Xmx1g -XX:PerfDataSamplingInterval=1000} $opens -jar "$jar" "$@"
