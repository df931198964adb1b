#!/usr/bin/env bash
# Registry benchmark: registryd's HTTP API against etcd's v3 JSON gateway, one run, loopback,
# same wrk settings for both.
#   registrations: registryd POST /v1/services (a new instance id per request, durable)
#                  etcd      POST /v3/kv/put    (the same manifest bytes, a new key per request)
#   resolves:      registryd GET  /v1/resolve?name=<method>  (one registered instance)
#                  etcd      POST /v3/kv/range  (one key)
# Each resolve/range phase runs first, on a store holding one registration; then the
# registration phase. Prints req/s, p99 latency and registryd/etcd ratio of req/s.
#   bench/registry.sh      # THREADS=2 CONNECTIONS=16 DURATION=10s REGISTRYD=.build/release/registryd REGISTRYD_ARGS="--durability power-loss"
# Installs wrk and etcd-server with apt-get if missing. registryd is skipped, with a warning,
# when its binary is missing or does not accept registrations.
set -euo pipefail
cd "$(dirname "$0")/.."

THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
DURATION=${DURATION:-10s}
REGISTRYD=${REGISTRYD:-.build/release/registryd}
PORT=${PORT:-18470}
ETCD_PORT=${ETCD_PORT:-18479}
ETCD_PEER_PORT=${ETCD_PEER_PORT:-18480}
MANIFEST=${MANIFEST:-bench/registry-manifest.json}
RESOLVE_NAME=${RESOLVE_NAME:-snac.asu.edu/Weather/station1/getForecast}
export BENCH_WRK_DIR=$PWD/bench/wrk

TMP=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null || { apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$2" >/dev/null; }; }; }
need wrk wrk
need etcd etcd-server
CURL=(curl -sS --noproxy '*' --max-time 10)

# wait_http URL SECONDS PID: until URL answers 200; fails at once if PID exits.
wait_http() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    "${CURL[@]}" -o /dev/null -f "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# bench NAME SCRIPT URL ARGS...: runs wrk, leaves "rps p99ms requests status_errors socket_errors" in R[NAME].
declare -A R
bench() {
  local name=$1 script=$2 url=$3
  shift 3
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -s "bench/wrk/$script" "$url" -- "$@")
  R[$name]=$(sed -n 's/^RESULT //p' <<<"$out")
  read -r _ _ requests status socket <<<"${R[$name]}"
  if [ "$status" != 0 ] || [ "$socket" != 0 ]; then
    echo "warning: $name: $status non-2xx responses and $socket socket errors of $requests requests" >&2
  fi
}

# The manifest, compact: the same bytes go to both systems.
python3 -c 'import json,sys; sys.stdout.write(json.dumps(json.load(open(sys.argv[1])), separators=(",", ":")))' \
  "$MANIFEST" >"$TMP/manifest.json"

# --- registryd ---------------------------------------------------------------------------
have_registryd=0
if "${CURL[@]}" -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null; then
  echo "warning: registryd skipped: something already listens on port $PORT (set PORT)" >&2
elif [ -x "$REGISTRYD" ]; then
  "$REGISTRYD" serve --data "$TMP/registryd" --port "$PORT" ${REGISTRYD_ARGS:-} >"$TMP/registryd.log" 2>&1 &
  PIDS+=($!)
  if wait_http "http://127.0.0.1:$PORT/health" 30 "${PIDS[-1]}"; then
    for ((i = 0; i < 50; i++)); do [ -s "$TMP/registryd/admin.token" ] && break; sleep 0.1; done
    TOKEN=$(tr -d '[:space:]' <"$TMP/registryd/admin.token" 2>/dev/null || true)
    code=$("${CURL[@]}" -o "$TMP/registered.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
      -H "Authorization: Bearer $TOKEN" --data-binary @"$TMP/manifest.json" "http://127.0.0.1:$PORT/v1/services" || true)
    rcode=$("${CURL[@]}" -o "$TMP/resolved.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
      "http://127.0.0.1:$PORT/v1/resolve?name=$RESOLVE_NAME" || true)
    if [ "$code" = 201 ] && [ "$rcode" = 200 ]; then
      have_registryd=1
    else
      echo "warning: registryd skipped: POST /v1/services answered $code, GET /v1/resolve $rcode" >&2
      cat "$TMP/registered.json" "$TMP/resolved.json" >&2 2>/dev/null || true; echo >&2
    fi
  else
    echo "warning: registryd skipped: no answer on /health; log:" >&2
    tail -5 "$TMP/registryd.log" >&2
  fi
else
  echo "warning: registryd skipped: no binary at $REGISTRYD" >&2
fi
if [ "$have_registryd" = 1 ]; then
  bench registryd-resolve registryd-resolve.lua "http://127.0.0.1:$PORT/v1/resolve?name=$RESOLVE_NAME" "$TOKEN"
  bench registryd-register registryd-register.lua "http://127.0.0.1:$PORT/v1/services" "$TMP/manifest.json" "$TOKEN"
  # Sanity check: the registrations are there.
  count=$("${CURL[@]}" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/services?name=snac.asu.edu/" |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["services"]))' 2>/dev/null || echo '?')
  echo "registryd holds $count registrations after the run" >&2
fi

# --- etcd --------------------------------------------------------------------------------
if "${CURL[@]}" -o /dev/null "http://127.0.0.1:$ETCD_PORT/" 2>/dev/null; then
  echo "something already listens on port $ETCD_PORT (set ETCD_PORT)" >&2; exit 1
fi
etcd --name bench --data-dir "$TMP/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "bench=http://127.0.0.1:$ETCD_PEER_PORT" >"$TMP/etcd.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$ETCD_PORT/health" 30 "${PIDS[-1]}" || { echo "etcd did not start:" >&2; tail -5 "$TMP/etcd.log" >&2; exit 1; }
KEY_PREFIX=/registry/services/
b64() { printf %s "$1" | base64 -w0; }
"${CURL[@]}" -f -o /dev/null -X POST "http://127.0.0.1:$ETCD_PORT/v3/kv/put" \
  -d "{\"key\":\"$(b64 "${KEY_PREFIX}x")\",\"value\":\"$(base64 -w0 <"$TMP/manifest.json")\"}"
bench etcd-range etcd-range.lua "http://127.0.0.1:$ETCD_PORT/v3/kv/range" "${KEY_PREFIX}x"
bench etcd-put etcd-put.lua "http://127.0.0.1:$ETCD_PORT/v3/kv/put" "$TMP/manifest.json" "$KEY_PREFIX"
count=$("${CURL[@]}" -X POST "http://127.0.0.1:$ETCD_PORT/v3/kv/range" \
  -d "{\"key\":\"$(b64 "$KEY_PREFIX")\",\"range_end\":\"$(b64 "${KEY_PREFIX%/}0")\",\"count_only\":true}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin).get("count", 0))')
echo "etcd holds $count keys after the run" >&2

# --- table -------------------------------------------------------------------------------
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, manifest $(wc -c <"$TMP/manifest.json") bytes, $(nproc) cores"
printf '| %-13s | %15s | %16s | %10s | %11s | %18s |\n' operation 'registryd req/s' 'registryd p99 ms' 'etcd req/s' 'etcd p99 ms' 'registryd/etcd'
printf '| --- | --- | --- | --- | --- | --- |\n'
row() {
  local label=$1 ours=$2 theirs=$3 ors='-' op99='-' ratio='-' ers ep99
  read -r ers ep99 _ <<<"${R[$theirs]}"
  if [ -n "${R[$ours]:-}" ]; then
    read -r ors op99 _ <<<"${R[$ours]}"
    ratio=$(awk -v a="$ors" -v b="$ers" 'BEGIN { printf "%.2f", a / b }')
  fi
  printf '| %-13s | %15s | %16s | %10s | %11s | %18s |\n' "$label" "$ors" "$op99" "$ers" "$ep99" "$ratio"
}
row register registryd-register etcd-put
row resolve registryd-resolve etcd-range
