#!/usr/bin/env bash
# Load benchmark: registryd's SQLite quad store vs pyoxigraph's bulk_load, same file, one run.
#   bench/load.sh                        # RUNS=3 SERVICES=25000 (~854k triples, ~60 MB RDF/XML)
#   RUNS=5 REGISTRYD=/path/to/registryd bench/load.sh
# Each run loads the file into a fresh on-disk store. Prints the median load time, triples/s
# and on-disk size of each engine, and the ratios.
#
# registryd side: `registryd import FILE --data DIR` when the binary has that command (timed as
# a whole process); otherwise the Swift Testing benchmark QuadStoreBenchmarkTests, run with
# `swift test -c release` (timed inside the process: open, bulk load, checkpoint, close).
# pyoxigraph side: bench/load_pyoxigraph.py (timed inside the process: Store(path), bulk_load,
# close). Sizes are the apparent bytes of each store's directory after the load (du -sb).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
SERVICES=${SERVICES:-25000}
REGISTRYD=${REGISTRYD:-.build/release/registryd}
PACKAGE=${PACKAGE:-.}                        # package whose tests hold QuadStoreBenchmarkTests
SCRATCH=${SCRATCH:-$PACKAGE/.build-store-release}
GEN=${GEN:-../shared/bench/gen_iot_rdfxml.py}
DATA=${DATA:-bench/data/iot-$SERVICES.rdf}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# (a) Install what is missing.
python3 -c 'import pyoxigraph; pyoxigraph.RdfFormat' 2>/dev/null || python3 -m pip install -q 'pyoxigraph>=0.4'
PY=$(python3 -c 'import sys; print(sys.executable)')

# (b) Generate the data if absent, and warm the page cache.
if [ ! -s "$DATA" ]; then
  mkdir -p "$(dirname "$DATA")"
  python3 "$GEN" --services "$SERVICES" >"$DATA.tmp" && mv "$DATA.tmp" "$DATA"
fi
cat "$DATA" >/dev/null
DATA_ABS=$(cd "$(dirname "$DATA")" && pwd)/$(basename "$DATA")

# (c) One load per engine per run. Each function prints "TRIPLES SECONDS BYTES".
if [ -x "$REGISTRYD" ] && "$REGISTRYD" import --help 2>&1 | grep -q -- --data; then
  MODE="registryd import (whole process)"
  registryd_load() {
    local dir=$TMP/registryd-$1 start end
    start=$(date +%s.%N)
    "$REGISTRYD" import "$DATA" --data "$dir" >"$TMP/registryd.out" 2>&1 || { cat "$TMP/registryd.out" >&2; exit 1; }
    end=$(date +%s.%N)
    # The import prints its count at the end; take the last number of the output.
    local count
    count=$(grep -oE '[0-9][0-9,]*' "$TMP/registryd.out" | tail -1 | tr -d ,)
    echo "${count:-0} $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }') $(du -sb "$dir" | cut -f1)"
  }
else
  MODE="swift test QuadStoreBenchmarkTests (in process)"
  echo "note: no '$REGISTRYD import'; building the Swift Testing benchmark in $SCRATCH" >&2
  swift test -c release --package-path "$PACKAGE" --scratch-path "$SCRATCH" --filter QuadStoreBenchmarkTests \
    >"$TMP/build.out" 2>&1 || { cat "$TMP/build.out" >&2; exit 1; }
  registryd_load() {
    local dir=$TMP/registryd-$1
    REGISTRYD_BENCH_FILE=$DATA_ABS REGISTRYD_BENCH_DIR=$dir \
      swift test -c release --package-path "$PACKAGE" --scratch-path "$SCRATCH" --skip-build \
      --filter QuadStoreBenchmarkTests >"$TMP/registryd.out" 2>&1 || { cat "$TMP/registryd.out" >&2; exit 1; }
    local line
    line=$(grep 'registryd load:' "$TMP/registryd.out" | tail -1)
    [ -n "$line" ] || { echo "benchmark test printed no result:" >&2; cat "$TMP/registryd.out" >&2; exit 1; }
    grep 'registryd load phases:' "$TMP/registryd.out" | tail -1 >"$TMP/phases"
    echo "$line" | awk -v bytes="$(du -sb "$dir" | cut -f1)" '{ print $3, $6, bytes }'
  }
fi

pyoxigraph_load() {
  local dir=$TMP/pyoxigraph-$1
  echo "$("$PY" bench/load_pyoxigraph.py "$DATA" "$dir") $(du -sb "$dir" | cut -f1)"
}

declare -A T C B
for ((i = 1; i <= RUNS; i++)); do
  for engine in registryd pyoxigraph; do
    read -r count secs bytes < <("${engine}_load" "$i")
    T[$engine]+="$secs "; C[$engine]=$count; B[$engine]=$bytes
    rm -rf "$TMP/$engine-$i"
  done
done
median() { printf '%s\n' $1 | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# (d) Report.
echo "Bulk load: $DATA ($(du -m "$DATA" | cut -f1) MiB), median of $RUNS runs; registryd via $MODE"
printf '%-11s %9s %9s %11s %10s\n' engine triples 'median s' 'triples/s' 'size MB'
declare -A RATE
for e in registryd pyoxigraph; do
  s=$(median "${T[$e]}")
  RATE[$e]=$(awk -v n="${C[$e]}" -v s="$s" 'BEGIN { printf "%.0f", n / s }')
  printf '%-11s %9s %9.2f %11s %10.1f\n' "$e" "${C[$e]}" "$s" "${RATE[$e]}" "$(awk -v b="${B[$e]}" 'BEGIN { print b / 1e6 }')"
done
[ -s "$TMP/phases" ] && sed 's/^/  /' "$TMP/phases"
awk -v a="${RATE[registryd]}" -v b="${RATE[pyoxigraph]}" 'BEGIN { printf "registryd / pyoxigraph triples/s: %.2fx\n", a / b }'
awk -v a="${B[registryd]}" -v b="${B[pyoxigraph]}" 'BEGIN { printf "registryd / pyoxigraph size: %.2fx\n", a / b }'
if [ "${C[registryd]}" != "${C[pyoxigraph]}" ]; then
  echo "error: triple counts differ: registryd ${C[registryd]} vs pyoxigraph ${C[pyoxigraph]}" >&2
  exit 1
fi
