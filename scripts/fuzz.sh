#!/usr/bin/env bash
# Fuzzes ifpulse's parsers of outside input for MINUTES in all (split evenly over the targets),
# with Jazzer's coverage-guided fuzzer and its bug detectors, and reports per target the inputs
# tried, the coverage reached and the findings.
#   scripts/fuzz.sh 10                          # every target, 10 minutes in all
#   scripts/fuzz.sh 5 ReplyBerFuzzTest          # one target for 5 minutes
# Targets: the *FuzzTest classes of src/test/java/io/ifpulse/fuzz. A finding (an input that makes
# a target throw) is written next to the target's seeds, in
# src/test/resources/io/ifpulse/fuzz/<Target>Inputs/<method>/crash-<sha1>, where the normal test
# suite runs it from then on: fix the code, keep the file. The growing corpus of interesting
# inputs stays under the build directory (BUILD_DIR, default target) and is reused by the next run.
# Extra Maven arguments (e.g. -o for offline): IFPULSE_MVN_ARGS.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

minutes="${1:-}"
if ! [[ "$minutes" =~ ^[0-9]+$ ]] || [ "$minutes" -lt 1 ]; then
  echo "usage: scripts/fuzz.sh MINUTES [TARGET...]" >&2
  exit 2
fi
shift
build="${BUILD_DIR:-target}"
inputs_root=src/test/resources/io/ifpulse/fuzz

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in src/test/java/io/ifpulse/fuzz/*FuzzTest.java; do targets+=("$(basename "$f" .java)"); done
fi
seconds=$(( minutes * 60 / ${#targets[@]} ))
[ "$seconds" -ge 10 ] || seconds=10

# shellcheck disable=SC2086
./mvnw -q -B ${IFPULSE_MVN_ARGS:-} -Difpulse.buildDir="$build" test-compile dependency:build-classpath \
  -Dmdep.outputFile="$build/fuzz-classpath.txt" -Dmdep.includeScope=test
cp="$build/test-classes:$build/classes:$(cat "$build/fuzz-classpath.txt")"
mkdir -p "$build/fuzz"
started="$build/fuzz/.started"
touch "$started" # findings of this run are the files newer than this

printf '%-24s %10s %8s %8s %9s\n' target inputs cov corpus findings > "$build/fuzz/summary.txt"
for t in "${targets[@]}"; do
  src="src/test/java/io/ifpulse/fuzz/$t.java"
  [ -f "$src" ] || { echo "no fuzz target $t" >&2; exit 2; }
  # The @FuzzTest method names the seed directory (Jazzer's JUnit layout: <Class>Inputs/<method>).
  method=$(grep -A1 '@FuzzTest' "$src" | grep -oE 'void [A-Za-z0-9_]+' | head -1 | cut -d' ' -f2)
  seeds="$inputs_root/${t}Inputs/$method"
  corpus="$build/fuzz/corpus/$t"
  mkdir -p "$seeds" "$corpus" "$build/fuzz/reproducers"
  before=$(find "$seeds" -name 'crash-*' | wc -l)
  log="$build/fuzz/$t.log"
  echo "fuzzing $t for ${seconds}s (log: $log)" >&2
  # keep_going: one finding does not end the run; each distinct one is written and counted.
  java -Xmx1g -cp "$cp" com.code_intelligence.jazzer.Jazzer \
    --target_class="io.ifpulse.fuzz.$t" \
    --instrumentation_includes='io.ifpulse.**:org.snmp4j.**:io.vertx.core.json.**' \
    --reproducer_path="$build/fuzz/reproducers" \
    --keep_going=100 \
    -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$seeds/" \
    "$corpus" "$seeds" > "$log" 2>&1 || true
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || true)
  after=$(find "$seeds" -name 'crash-*' | wc -l)
  printf '%-24s %10s %8s %8s %9s\n' "$t" "${runs:-?}" "${cov:-?}" "$(find "$corpus" -type f | wc -l)" "$(( after - before ))" \
    >> "$build/fuzz/summary.txt"
  grep -E '^== Java Exception|^java\.|^Caused by|AssertionError' "$log" | sort | uniq -c | head -20 >&2 || true
done
cat "$build/fuzz/summary.txt"
new=$(find "$inputs_root" -name 'crash-*' -newer "$started" | wc -l)
if [ "$new" -gt 0 ]; then
  echo "$new new finding(s), kept as regression inputs:" >&2
  find "$inputs_root" -name 'crash-*' -newer "$started" >&2
  exit 1
fi
