#!/usr/bin/env bash
# Starts N ifpulse nodes on this machine as one cluster (default 3), on loopback:
#   node 1: the embedded simulated agents of conf/ifpulse.json, and the dashboard on :8081
#   node k: dashboard on :808k
# Every node polls its share of the devices; kill one (kill -9 <pid>) and watch another take over.
# The nodes talk over mutual TLS, as a cluster across servers must: a CA and a certificate per node
# made by scripts/cluster-certs.sh in .run/cluster-demo/bus (kept for the next run).
# Ctrl-C stops them all. Logs: .run/cluster-demo/node-k.log
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

n=${1:-3}
case "$n" in ''|*[!0-9]*) echo "usage: scripts/cluster-demo.sh [number of nodes]" >&2; exit 2;; esac
[ "$n" -ge 1 ] && [ "$n" -le 9 ] || { echo "cluster-demo.sh: 1 to 9 nodes" >&2; exit 2; }

dir=.run/cluster-demo
mkdir -p "$dir"
export IFPULSE_CLUSTER_NAME="ifpulse-demo-$$"
export IFPULSE_CLUSTER_MEMBERS=127.0.0.1
export IFPULSE_CLUSTER_INTERFACE=127.0.0.1
export IFPULSE_CLUSTER_PORT=5701
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# Build once, before the nodes race to do it.
scripts/run.sh --check >/dev/null 2>&1 || { scripts/run.sh --check; exit 1; }

bus="$PWD/$dir/bus"
nodes=()
for k in $(seq 1 "$n"); do nodes+=("node-$k=127.0.0.1"); done
scripts/cluster-certs.sh "$bus" "${nodes[@]}" >/dev/null

for k in $(seq 1 "$n"); do
  extra=()
  [ "$k" -eq 1 ] && extra=(--simulator)
  IFPULSE__web__port=$((8080 + k)) IFPULSE__registry__file="$PWD/$dir/node-$k-devices.json" \
    IFPULSE_BUS_CERT="$bus/node-$k.pem" IFPULSE_BUS_KEY="$bus/node-$k-key.pem" IFPULSE_BUS_CA="$bus/ca.pem" \
    scripts/run.sh --cluster "${extra[@]}" >"$dir/node-$k.log" 2>&1 &
  pids+=($!)
  echo "node $k: pid $!, dashboard http://127.0.0.1:$((8080 + k))/, log $dir/node-$k.log"
  sleep 2
done
echo "cluster $IFPULSE_CLUSTER_NAME of $n nodes; ownership: curl -s http://127.0.0.1:8081/api/cluster | jq ."
wait
