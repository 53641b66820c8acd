#!/usr/bin/env bash
# A local Hyphae mesh on loopback: node 1 starts first, every other node bootstraps from it.
#
#   run/mesh.sh 3                      start 3 nodes; Ctrl-C stops them all
#   run/mesh.sh send 2 'hyphae:subscribe chat'     (from another terminal) run a shell command on node 2
#   tail -f run/target/mesh/node2/out.log           what node 2 prints (command output, arriving messages)
#
# Each node has its own directory under $HYPHAE_MESH_DIR (default run/target/mesh): node.key (its identity),
# out.log (its console), err.log (its log) and in (a FIFO its shell reads commands from).
# Ports: $HYPHAE_BASE_PORT (default 4433) for node 1, +1 for each next node, the same number for QUIC and TCP.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
jar="${HYPHAE_JAR:-$here/target/hyphae.jar}"
dir="${HYPHAE_MESH_DIR:-$here/target/mesh}"
base_port="${HYPHAE_BASE_PORT:-4433}"
ready_timeout_s="${HYPHAE_READY_TIMEOUT:-90}"

usage() {
    echo "usage: $0 <nodes>            start a mesh of <nodes> (1..50) on loopback; Ctrl-C stops it" >&2
    echo "       $0 send <n> <command>  run a Gogo command on node <n> of the running mesh" >&2
    exit 2
}

if [[ "${1:-}" == "send" ]]; then
    [[ $# -ge 3 ]] || usage
    fifo="$dir/node$2/in"
    [[ -p "$fifo" ]] || { echo "no running node $2 (no $fifo)" >&2; exit 1; }
    shift 2
    echo "$*" > "$fifo"
    exit 0
fi

[[ "${1:-}" =~ ^[0-9]+$ ]] && (( $1 >= 1 && $1 <= 50 )) || usage
nodes=$1
[[ -f "$jar" ]] || { echo "no $jar: build it first (mvn -B -q install -DskipTests)" >&2; exit 1; }

pids=()
stop_all() {
    trap - INT TERM EXIT
    if (( ${#pids[@]} > 0 )); then
        echo "stopping ${#pids[@]} node(s)..."
        kill "${pids[@]}" 2>/dev/null || true # SIGTERM: each node stops its framework cleanly
        for _ in $(seq 1 100); do
            alive=0
            for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
            (( alive )) || break
            sleep 0.1
        done
        kill -9 "${pids[@]}" 2>/dev/null || true
        wait 2>/dev/null || true
    fi
    for fd in "${fifo_fds[@]:-}"; do [[ -n "$fd" ]] && eval "exec $fd>&-"; done
    rm -f "$dir"/node*/in
}
trap stop_all INT TERM EXIT

wait_ready() { # <node> <pid>
    local log="$dir/node$1/out.log"
    for _ in $(seq 1 $((ready_timeout_s * 10))); do
        grep -q "node ready" "$log" 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || { echo "node $1 exited; see $dir/node$1/err.log" >&2; return 1; }
        sleep 0.1
    done
    echo "node $1 not ready after ${ready_timeout_s}s; see $dir/node$1/err.log" >&2
    return 1
}

fifo_fds=()
start_node() { # <n> [bootstrap]
    local n=$1 nd="$dir/node$1" port=$((base_port + $1 - 1)) fd
    mkdir -p "$nd"
    rm -f "$nd/in" "$nd/out.log" "$nd/err.log"
    mkfifo "$nd/in"
    exec {fd}<>"$nd/in" # held open read-write: the node never sees the end of its input
    fifo_fds+=("$fd")
    java ${HYPHAE_JAVA_OPTS:-} -jar "$jar" --port "$port" --data "$nd" ${2:+--bootstrap "$2"} \
        < "$nd/in" > "$nd/out.log" 2> "$nd/err.log" &
    pids+=($!)
}

mkdir -p "$dir"
start_node 1
wait_ready 1 "${pids[0]}"
seed=$(grep -m1 "endpoint quic://" "$dir/node1/out.log" | awk '{print $3}')
for n in $(seq 2 "$nodes"); do
    start_node "$n" "$seed"
done
for n in $(seq 2 "$nodes"); do
    wait_ready "$n" "${pids[$((n - 1))]}"
done

printf '%-5s %-8s %-45s %s\n' NODE PID ENDPOINT CONSOLE
for n in $(seq 1 "$nodes"); do
    ep=$(grep -m1 "endpoint quic://" "$dir/node$n/out.log" | awk '{print $3}')
    printf '%-5s %-8s %-45s %s\n' "$n" "${pids[$((n - 1))]}" "${ep%/*}" "$dir/node$n/out.log"
done
echo "mesh of $nodes node(s) ready (seed $seed)"
echo "send commands with: $0 send <node> 'hyphae:subscribe chat'; Ctrl-C stops the mesh"
wait "${pids[@]}"
