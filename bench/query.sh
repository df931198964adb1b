#!/usr/bin/env bash
# Query benchmark: the queries of ../shared/bench/queries on registryd's store and on
# pyoxigraph's on-disk store, same data, same run. For each: one warm-up, RUNS timed runs,
# the median; rows must agree. Prints each median, the ratio registryd/pyoxigraph, and the
# geometric mean of the ratios. RDFS reasoning is off, since pyoxigraph does none.
#   bench/query.sh                  # RUNS=20 SERVICES=25000
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-20}
SERVICES=${SERVICES:-25000}
REGISTRYD=${REGISTRYD:-.build/release/registryd}
QUERIES=${QUERIES:-../shared/bench/queries}
DATA=bench/data/iot-$SERVICES.rdf
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

python3 -c 'import pyoxigraph; pyoxigraph.RdfFormat' 2>/dev/null || python3 -m pip install -q 'pyoxigraph>=0.4'
[ -x "$REGISTRYD" ] || swift build -c release --product registryd >&2
if [ ! -s "$DATA" ]; then
  mkdir -p bench/data
  python3 ../shared/bench/gen_iot_rdfxml.py --services "$SERVICES" >"$DATA.tmp" && mv "$DATA.tmp" "$DATA"
fi

"$REGISTRYD" import "$DATA" --data "$TMP/store" >/dev/null
declare -A MS ROWS
for q in "$QUERIES"/*.rq; do
  name=$(basename "$q")
  ROWS[$name]=$(( $("$REGISTRYD" query --no-reasoning --format tsv --data "$TMP/store" "$(cat "$q")" | wc -l) - 1 ))
  MS[$name]=$("$REGISTRYD" query --no-reasoning --format tsv --repeat "$RUNS" --data "$TMP/store" "$(cat "$q")" 2>&1 >/dev/null \
    | sed -n 's/^median \([0-9.]*\) ms.*/\1/p')
done

status=0
printf '%-28s %8s %14s %14s %8s\n' query rows 'registryd ms' 'pyoxigraph ms' ratio
python3 bench/query_pyoxigraph.py "$DATA" "$RUNS" "$QUERIES"/*.rq >"$TMP/oxi"
logsum=0
count=0
while read -r name rows ms; do
  ratio=$(awk -v a="${MS[$name]}" -v b="$ms" 'BEGIN { printf "%.3f", a / b }')
  printf '%-28s %8s %14s %14s %8s\n' "$name" "$rows" "${MS[$name]}" "$ms" "$ratio"
  if [ "$rows" != "${ROWS[$name]}" ]; then echo "  row counts differ: registryd ${ROWS[$name]}, pyoxigraph $rows" >&2; status=1; fi
  logsum=$(awk -v s="$logsum" -v r="$ratio" 'BEGIN { print s + log(r) }')
  count=$((count + 1))
done <"$TMP/oxi"
awk -v s="$logsum" -v n="$count" 'BEGIN { printf "geometric mean of registryd/pyoxigraph: %.3f\n", exp(s / n) }'
exit $status
