#!/usr/bin/env bash
# Decision benchmark: registryd's access decisions next to Cedar (cedarpy), same rules (Fig. 4,
# bench/cedar/bench.policy and its twin bench/cedar/bench.cedar), one run.
#   in-process  registryd policy bench --subjects 2000 --apis 50 --requests 200000
#               (median and p99 of single decisions, inside one process)
#               python3 bench/decisions_cedar.py: cedarpy.is_authorized_batch on batches of 100
#               over 20,000 requests, same numbers of subjects and APIs (µs per decision), and
#               is_authorized alone on 2,000; it also checks that registryd (policy eval) decides
#               these requests as Cedar does
#   HTTP        registryd serve on loopback, the policy PUT, an authority with an Ed25519 key,
#               200 subjects with a signed credential each; wrk POSTs /v1/decisions cycling
#               through them (bench/wrk/decisions.lua): requests/s, p99, non-2xx
# Prints a summary with the ratio registryd median / cedarpy median.
#   bench/decisions.sh      # THREADS=2 CONNECTIONS=16 DURATION=10s REGISTRYD=.build/release/registryd
#                           # POLICY=FILE: the policy of the HTTP step (default bench/cedar/bench.policy)
#                           # SKIP_BUILD=1 to use the binary as it is
# Installs wrk (apt-get) and cedarpy, PyJWT, cryptography (pip) if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
DURATION=${DURATION:-10s}
REGISTRYD=${REGISTRYD:-.build/release/registryd}
SUBJECTS=${SUBJECTS:-2000}
APIS=${APIS:-50}
REQUESTS=${REQUESTS:-200000}
CEDAR_REQUESTS=${CEDAR_REQUESTS:-20000}
BATCH=${BATCH:-100}
CREDENTIALS=${CREDENTIALS:-200}
POLICY=${POLICY:-bench/cedar/bench.policy}   # the HTTP step stores this one
export BENCH_WRK_DIR=$PWD/bench/wrk

[ "${SKIP_BUILD:-0}" = 1 ] || swift build -c release --product registryd >&2

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
python3 -c 'import cedarpy, jwt, cryptography' 2>/dev/null || python3 -m pip install -q cedarpy PyJWT cryptography
CURL=(curl -sS --noproxy '*' --max-time 10)
# number NAME TEXT: the figure after NAME in TEXT ("median 1.23 µs" -> 1.23), or '-'.
number() { local v; v=$(sed -n "s/.*$1 \([0-9][0-9.]*\).*/\1/p" <<<"$2" | head -1); echo "${v:--}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }

# --- a. registryd in-process ------------------------------------------------------------------
inproc=$("$REGISTRYD" policy bench --subjects "$SUBJECTS" --apis "$APIS" --requests "$REQUESTS" 2>&1) ||
  { echo "warning: registryd policy bench failed:" >&2; echo "$inproc" >&2; inproc=''; }
[ -n "$inproc" ] && echo "$inproc"
reg_median=$(number median "$inproc")
reg_p99=$(number p99 "$inproc")

# --- b. cedarpy -------------------------------------------------------------------------------
# --check: registryd decides the same requests with bench/cedar/bench.policy; both must agree.
check=()
[ -x "$REGISTRYD" ] && check=(--check "$REGISTRYD")
cedar=$(python3 bench/decisions_cedar.py --subjects "$SUBJECTS" --apis "$APIS" --requests "$CEDAR_REQUESTS" \
  --batch "$BATCH" "${check[@]}") || echo "warning: the Cedar and registryd bench policies disagree (see below)" >&2
echo "$cedar"
cedar_median=$(number median "$cedar")
cedar_p99=$(number p99 "$cedar")

# --- c. registryd over HTTP -------------------------------------------------------------------
http_rps=- http_p99=- http_requests=- http_status=- http_socket=- mix='-'
"$REGISTRYD" serve --port 0 --data "$TMP/data" >"$TMP/serve.log" 2>&1 &
PIDS+=($!)
port=''
for ((i = 0; i < 300; i++)); do
  port=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\)[^0-9]*$/\1/p' "$TMP/serve.log" | head -1)
  [ -n "$port" ] && break
  kill -0 "${PIDS[-1]}" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "warning: registryd serve did not start; log:" >&2
  tail -5 "$TMP/serve.log" >&2
else
  BASE=http://127.0.0.1:$port
  for ((i = 0; i < 50; i++)); do [ -s "$TMP/data/admin.token" ] && break; sleep 0.1; done
  TOKEN=$(tr -d '[:space:]' <"$TMP/data/admin.token")
  python3 bench/decisions_credentials.py "$TMP/creds" --subjects "$CREDENTIALS" --apis "$APIS" >&2
  pcode=$("${CURL[@]}" -o "$TMP/put-policy.json" -w '%{http_code}' -X PUT -H 'Content-Type: text/plain' \
    -H "Authorization: Bearer $TOKEN" --data-binary @"$POLICY" "$BASE/v1/policies/bench" || true)
  acode=$("${CURL[@]}" -o "$TMP/put-authority.json" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $TOKEN" --data-binary @"$TMP/creds/authority.json" "$BASE/v1/authorities/hospital.example" || true)
  if [[ $pcode != 2* || $acode != 2* ]]; then
    echo "warning: HTTP part skipped: PUT /v1/policies/bench answered $pcode, PUT /v1/authorities/hospital.example $acode" >&2
    cat "$TMP/put-policy.json" "$TMP/put-authority.json" >&2 2>/dev/null || true; echo >&2
  else
    # Each body once, to check the answers and count the decisions wrk will see.
    permit=0 deny=0 other=0
    while IFS= read -r body; do
      code=$("${CURL[@]}" -o "$TMP/decision.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
        -H "Authorization: Bearer $TOKEN" --data-binary "$body" "$BASE/v1/decisions" || true)
      if [[ $code == 2* ]] && grep -q '"decision" *: *"permit"' "$TMP/decision.json"; then permit=$((permit + 1))
      elif [[ $code == 2* ]] && grep -q '"decision" *: *"deny"' "$TMP/decision.json"; then deny=$((deny + 1))
      else
        other=$((other + 1))
        [ "$other" = 1 ] && { echo "warning: POST /v1/decisions answered $code:" >&2; head -c 500 "$TMP/decision.json" >&2; echo >&2; }
      fi
    done <"$TMP/creds/bodies.jsonl"
    mix="$permit permit, $deny deny, $other other"
    echo "POST /v1/decisions, each of the $CREDENTIALS bodies once: $mix"
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -s bench/wrk/decisions.lua \
      "$BASE/v1/decisions" -- "$TMP/creds/bodies.jsonl" "$TOKEN")
    sed -n '/Latency Distribution/,/requests in/p' <<<"$out"
    read -r http_rps http_p99 http_requests http_status http_socket <<<"$(sed -n 's/^RESULT //p' <<<"$out")"
    if [ "$http_status" != 0 ] || [ "$http_socket" != 0 ]; then
      echo "warning: HTTP: $http_status non-2xx responses and $http_socket socket errors of $http_requests requests" >&2
    fi
  fi
fi

# --- d. summary -------------------------------------------------------------------------------
echo
echo "$SUBJECTS subjects, $APIS APIs, $(nproc) cores; cedarpy $(python3 -c 'import importlib.metadata as m; print(m.version("cedarpy"))')"
printf '| %-40s | %12s | %12s | %17s |\n' measure registryd cedarpy registryd/cedarpy
printf '| --- | --- | --- | --- |\n'
printf '| %-40s | %12s | %12s | %17s |\n' 'decision median µs (in-process)' "$reg_median" "$cedar_median" "$(ratio "$reg_median" "$cedar_median")"
printf '| %-40s | %12s | %12s | %17s |\n' 'decision p99 µs (in-process)' "$reg_p99" "$cedar_p99" "$(ratio "$reg_p99" "$cedar_p99")"
printf '| %-40s | %12s | %12s | %17s |\n' "HTTP decisions/s (wrk -t$THREADS -c$CONNECTIONS -d$DURATION)" "$http_rps" - -
printf '| %-40s | %12s | %12s | %17s |\n' 'HTTP p99 ms' "$http_p99" - -
printf '| %-40s | %12s | %12s | %17s |\n' 'HTTP non-2xx / socket errors' "$http_status / $http_socket" - -
echo "HTTP decisions of the $CREDENTIALS bodies: $mix"
