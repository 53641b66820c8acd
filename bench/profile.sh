#!/usr/bin/env bash
# Profiles one bench path with async-profiler: CPU samples per thread, taken for the first SECONDS of the first
# measured round (after the warm-up), written as a flame graph and as collapsed stacks to bench/target/profile/.
#
#   bench/profile.sh <path> [seconds] [bench options...]
#   bench/profile.sh quic-pubsub 3.5 --sizes 256 --scale 4     # the 256-byte QoS 0 phase of quic-pubsub
#
# Needs bench/target/benchmarks.jar (mvn -B -q -pl bench -am package -DskipTests); fetches async-profiler 4.0 from
# Maven Central into bench/target/profile/ the first time. EVENT=itimer where perf events are not allowed.
set -euo pipefail
cd "$(dirname "$0")/.."
path=${1:?usage: bench/profile.sh <path> [seconds] [bench options...]}
seconds=${2:-3.5}
shift $(($# >= 2 ? 2 : 1))
jar=bench/target/benchmarks.jar
[ -f "$jar" ] || { echo "no $jar: mvn -B -q -pl bench -am package -DskipTests" >&2; exit 1; }
out=$PWD/bench/target/profile
lib=$out/async-profiler/linux-x64/libasyncProfiler.so
if [ ! -f "$lib" ]; then
  mkdir -p "$out/async-profiler"
  curl -fsSL -o "$out/async-profiler.jar" \
    https://repo1.maven.org/maven2/tools/profiler/async-profiler/4.0/async-profiler-4.0-linux-x64.jar
  (cd "$out/async-profiler" && jar xf ../async-profiler.jar)
fi
log=$out/$path.log
java -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:+EnableDynamicAgentLoading -jar "$jar" \
  --paths "$path" --connections 0 --rounds 2 "$@" > "$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
until grep -q "round 1 of 2" "$log"; do
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.2
done
agent() { jcmd "$pid" JVMTI.agent_load "$lib" "\"$1\"" > /dev/null; }
agent "start,event=${EVENT:-cpu},interval=100us,threads"
sleep "$seconds"
agent "dump,collapsed,file=$out/$path.collapsed"
agent "stop,file=$out/$path.html"
wait "$pid"
trap - EXIT
grep -E "^  $path " "$log" | head -2
echo "flame graph: $out/$path.html; collapsed stacks: $out/$path.collapsed; bench output: $log"
