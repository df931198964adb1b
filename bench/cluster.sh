#!/usr/bin/env bash
# Cluster benchmark: a three-node registryd site over three etcd members, all on this machine,
# next to the same etcd cluster doing puts and gets of the same bytes, and next to one
# single-node registryd; one run, loopback, the same wrk settings throughout.
#   registrations: POST /v1/services through every node at once (one wrk per node, summed)
#                  etcd: POST /v3/kv/put of the same manifest bytes through every member at once
#                  single node: POST /v1/services to a registryd without --etcd
#   resolves:      GET /v1/resolve through every node at once / POST /v3/kv/range / single node
#   failover:      kill -9 of the etcd leader during registrations: the longest pause between acknowledged ones
#                  (last, after the etcd phases, which run on the same three members)
#   bench/cluster.sh      # THREADS=1 CONNECTIONS=8 (per node) DURATION=10s REGISTRYD=.build-release/release/registryd
# Installs wrk and etcd-server with apt-get if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-8}
DURATION=${DURATION:-10s}
REGISTRYD=${REGISTRYD:-.build-release/release/registryd}
BASE_PORT=${BASE_PORT:-18600}
MANIFEST=${MANIFEST:-bench/registry-manifest.json}
RESOLVE_NAME=${RESOLVE_NAME:-snac.asu.edu/Weather/station1/getForecast}
export BENCH_WRK_DIR=$PWD/bench/wrk

TMP=$(mktemp -d)
declare -A PID
cleanup() {
  for pid in "${PID[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  for pid in "${PID[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null || { apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$2" >/dev/null; }; }; }
need wrk wrk
need etcd etcd-server
[ -x "$REGISTRYD" ] || { echo "no registryd binary at $REGISTRYD (swift build -c release --scratch-path .build-release --product registryd)" >&2; exit 1; }
CURL=(curl -sS --noproxy '*' --max-time 10)
wait_http() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    "${CURL[@]}" -o /dev/null -f "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

python3 -c 'import json,sys; sys.stdout.write(json.dumps(json.load(open(sys.argv[1])), separators=(",", ":")))' \
  "$MANIFEST" >"$TMP/manifest.json"

# --- three etcd members ---------------------------------------------------------------------
initial=""
for i in 0 1 2; do initial+="${initial:+,}e$i=http://127.0.0.1:$((BASE_PORT + 10 + i))"; done
ETCD_URLS=""
for i in 0 1 2; do
  client=$((BASE_PORT + i)); peer=$((BASE_PORT + 10 + i))
  etcd --name "e$i" --data-dir "$TMP/e$i" --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "$initial" --heartbeat-interval 50 --election-timeout 500 >"$TMP/e$i.log" 2>&1 &
  PID[e$i]=$!
  ETCD_URLS+="${ETCD_URLS:+,}http://127.0.0.1:$client"
done
for i in 0 1 2; do wait_http "http://127.0.0.1:$((BASE_PORT + i))/health" 30 || { echo "etcd e$i did not start" >&2; exit 1; }; done

declare -A R
# wrk_all NAME SCRIPT "URL ARGS..." ... : one wrk per target at once; R[NAME] = "summed_rps worst_p99".
wrk_all() {
  local name=$1 script=$2
  shift 2
  local n=0 target
  for target in "$@"; do
    # shellcheck disable=SC2086
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -s "bench/wrk/$script" $target >"$TMP/wrk-$name-$n.out" &
    n=$((n + 1))
  done
  wait $(jobs -p | tail -n "$n")
  R[$name]=$(cat "$TMP"/wrk-"$name"-*.out | sed -n 's/^RESULT //p' | awk '{ rps += $1; if ($2 > p99) p99 = $2; st += $4; so += $5 } END { printf "%.0f %.2f %d %d", rps, p99, st, so }')
  read -r _ _ status socket <<<"${R[$name]}"
  [ "$status" = 0 ] && [ "$socket" = 0 ] || echo "warning: $name: $status non-2xx responses and $socket socket errors" >&2
}

# --- three registryd nodes -------------------------------------------------------------------
NODES=()
for i in 1 2 3; do
  port=$((BASE_PORT + 20 + i))
  "$REGISTRYD" serve --data "$TMP/n$i" --port "$port" --etcd "$ETCD_URLS" --node "n$i" --log-level warning >"$TMP/n$i.log" 2>&1 &
  PID[n$i]=$!
  wait_http "http://127.0.0.1:$port/health" 60 || { echo "node n$i did not start:" >&2; tail -5 "$TMP/n$i.log" >&2; exit 1; }
  NODES+=("http://127.0.0.1:$port")
done
TOKEN=$(tr -d '[:space:]' <"$TMP/n1/admin.token")
"${CURL[@]}" -f -o /dev/null -X POST -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" \
  --data-binary @"$TMP/manifest.json" "${NODES[0]}/v1/services"
for node in "${NODES[@]}"; do
  "${CURL[@]}" -f -o /dev/null -H "Authorization: Bearer $TOKEN" "$node/v1/resolve?name=$RESOLVE_NAME&consistent"
done
targets=(); for n in "${NODES[@]}"; do targets+=("$n/v1/resolve?name=$RESOLVE_NAME -- $TOKEN"); done
wrk_all cluster-resolve registryd-resolve.lua "${targets[@]}"
targets=(); i=0; for n in "${NODES[@]}"; do targets+=("$n/v1/services -- $TMP/manifest.json $TOKEN n$i-"); i=$((i + 1)); done
wrk_all cluster-register registryd-register.lua "${targets[@]}"
# Every node holds every registration once the load stops.
sleep 1
counts=""
for node in "${NODES[@]}"; do
  counts+=" $("${CURL[@]}" -H "Authorization: Bearer $TOKEN" "$node/v1/services?name=snac.asu.edu/&consistent" |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["services"]))')"
done
echo "registrations held by each node after the run:$counts" >&2

# --- the same etcd cluster, the same bytes ----------------------------------------------------
live=(); for i in 0 1 2; do live+=("http://127.0.0.1:$((BASE_PORT + i))"); done
KEY_PREFIX=/bench/services/
b64() { printf %s "$1" | base64 -w0; }
"${CURL[@]}" -f -o /dev/null -X POST "${live[0]}/v3/kv/put" -d "{\"key\":\"$(b64 "${KEY_PREFIX}x")\",\"value\":\"$(base64 -w0 <"$TMP/manifest.json")\"}"
targets=(); for url in "${live[@]}"; do targets+=("$url/v3/kv/range -- ${KEY_PREFIX}x"); done
wrk_all etcd-range etcd-range.lua "${targets[@]}"
targets=(); i=0; for url in "${live[@]}"; do targets+=("$url/v3/kv/put -- $TMP/manifest.json ${KEY_PREFIX}m$i-"); i=$((i + 1)); done
wrk_all etcd-put etcd-put.lua "${targets[@]}"

# The time from kill -9 of the etcd leader to the next acknowledged registration.
failover=$(python3 - "$ETCD_URLS" "${NODES[0]}" "$TOKEN" "$TMP/manifest.json" "${PID[e0]} ${PID[e1]} ${PID[e2]}" <<'PY'
import json, os, signal, sys, threading, time, urllib.request
urls, node, token, manifest, pids = sys.argv[1].split(","), sys.argv[2], sys.argv[3], open(sys.argv[4]).read(), sys.argv[5].split()
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
def post(url, body, headers):
    request = urllib.request.Request(url, data=body.encode(), method="POST", headers=headers)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except Exception:
        return 0, {}
leader = None
for index, url in enumerate(urls):
    status, body = post(url + "/v3/maintenance/status", "{}", {"Content-Type": "application/json"})
    if status == 200 and body.get("leader") == body.get("header", {}).get("member_id"):
        leader = index
acks, stop = [], threading.Event()
def write(number):
    while not stop.is_set():
        number += 1
        status, _ = post(node + "/v1/services", manifest.replace('"id":"x"', f'"id":"failover-{number}"'),
                         {"Content-Type": "application/json", "Authorization": "Bearer " + token})
        if status == 201:
            acks.append(time.time())
threads = [threading.Thread(target=write, args=(i * 1_000_000,)) for i in range(4)]
for thread in threads: thread.start()
time.sleep(1.0)
killed = time.time()
os.kill(int(pids[leader]), signal.SIGKILL)
time.sleep(6.0)
stop.set()
for thread in threads: thread.join()
# The longest pause between acknowledged registrations around the kill: how long writes stopped
# (a write acknowledged just after the kill may have been committed by the old leader).
window = sorted(t for t in acks if killed - 1 <= t)
gaps = [b - a for a, b in zip(window, window[1:]) if b > killed]
print(f"{max(gaps) * 1000:.0f}" if gaps else "none")
PY
)
for i in 1 2 3; do kill "${PID[n$i]}"; wait "${PID[n$i]}" 2>/dev/null || true; unset "PID[n$i]"; done
for i in 0 1 2; do kill "${PID[e$i]}" 2>/dev/null || true; wait "${PID[e$i]}" 2>/dev/null || true; unset "PID[e$i]"; done

# --- one single-node registryd ------------------------------------------------------------------
port=$((BASE_PORT + 30))
"$REGISTRYD" serve --data "$TMP/single" --port "$port" --log-level warning >"$TMP/single.log" 2>&1 &
PID[single]=$!
wait_http "http://127.0.0.1:$port/health" 60
STOKEN=$(tr -d '[:space:]' <"$TMP/single/admin.token")
"${CURL[@]}" -f -o /dev/null -X POST -H 'Content-Type: application/json' -H "Authorization: Bearer $STOKEN" \
  --data-binary @"$TMP/manifest.json" "http://127.0.0.1:$port/v1/services"
wrk_all single-resolve registryd-resolve.lua "http://127.0.0.1:$port/v1/resolve?name=$RESOLVE_NAME -- $STOKEN"
wrk_all single-register registryd-register.lua "http://127.0.0.1:$port/v1/services -- $TMP/manifest.json $STOKEN s-"

# --- table ---------------------------------------------------------------------------------------
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION per target, manifest $(wc -c <"$TMP/manifest.json") bytes, $(nproc) cores, everything on this machine"
printf '| %-8s | %17s | %8s | %21s | %8s | %17s | %14s | %13s |\n' operation 'cluster req/s' 'p99 ms' 'etcd (3 members) req/s' 'p99 ms' 'single-node req/s' 'cluster/etcd' 'cluster/single'
printf '| --- | --- | --- | --- | --- | --- | --- | --- |\n'
row() {
  local c e s
  read -r c cp _ <<<"${R[$2]}"; read -r e ep _ <<<"${R[$3]}"; read -r s _ <<<"${R[$4]}"
  printf '| %-8s | %17s | %8s | %21s | %8s | %17s | %14s | %13s |\n' "$1" "$c" "$cp" "$e" "$ep" "$s" \
    "$(awk -v a="$c" -v b="$e" 'BEGIN { printf "%.2f", a / b }')" "$(awk -v a="$c" -v b="$s" 'BEGIN { printf "%.2f", a / b }')"
}
row register cluster-register etcd-put single-register
row resolve cluster-resolve etcd-range single-resolve
echo "etcd leader killed (kill -9) during registrations: the longest pause between acknowledged registrations after the kill was ${failover} ms"
