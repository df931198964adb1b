#!/usr/bin/env bash
# Parse benchmark: registryd vs rapper (raptor2) vs pyoxigraph on the same RDF/XML file.
#   bench/parse.sh                     # RUNS=3 SERVICES=25000 (~854k triples, ~60 MB)
#   RUNS=5 REGISTRYD=/path/to/registryd bench/parse.sh
# Prints median wall time, triples/s and peak RSS of each parser; exits non-zero if the
# parsers disagree on the triple count. registryd is skipped (with a warning) if its binary is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
SERVICES=${SERVICES:-25000}
REGISTRYD=${REGISTRYD:-.build/release/registryd}
GEN=${GEN:-../shared/bench/gen_iot_rdfxml.py}
DATA=bench/data/iot-$SERVICES.rdf
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# (a) Install what is missing.
updated=
apt_install() {
  [ -n "$updated" ] || { apt-get update -qq; updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
command -v rapper >/dev/null || apt_install raptor2-utils
[ -x /usr/bin/time ] || apt_install time
python3 -c 'import pyoxigraph; pyoxigraph.RdfFormat' 2>/dev/null || python3 -m pip install -q 'pyoxigraph>=0.4'
# The real interpreter, not a pyenv shim (a shim adds ~70 ms of bash to every run).
PY=$(python3 -c 'import sys; print(sys.executable)')

# (b) Generate the data if absent.
if [ ! -s "$DATA" ]; then
  mkdir -p bench/data
  python3 "$GEN" --services "$SERVICES" >"$DATA.tmp" && mv "$DATA.tmp" "$DATA"
fi
cat "$DATA" >/dev/null # warm the page cache

# (c) measure NAME CMD...: run CMD $RUNS times under /usr/bin/time -v, stdout to /dev/null,
# stderr to $TMP/NAME.err; sets SECS[NAME] (median wall s) and RSS[NAME] (max peak RSS, MiB).
declare -A SECS RSS COUNT
measure() {
  local name=$1 t=() rss=0 i; shift
  for ((i = 1; i <= RUNS; i++)); do
    if ! /usr/bin/time -v -o "$TMP/time" "$@" >/dev/null 2>"$TMP/$name.err"; then
      echo "$name failed:" >&2; cat "$TMP/$name.err" "$TMP/time" >&2; exit 1
    fi
    t+=("$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0
             for (j = 1; j <= n; j++) s = s * 60 + p[j]; print s }' "$TMP/time")")
    rss=$(awk -F': ' -v m="$rss" '/Maximum resident set size/ { print ($2 > m ? $2 : m) }' "$TMP/time")
  done
  SECS[$name]=$(printf '%s\n' "${t[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  RSS[$name]=$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')
}

parsers=()
if [ -x "$REGISTRYD" ]; then
  parsers+=(registryd)
  # Count once, untimed: non-blank, non-comment lines of the N-Triples output.
  COUNT[registryd]=$("$REGISTRYD" convert "$DATA" --to ntriples | { grep -cv '^[[:space:]]*\(#.*\)\?$' || true; })
  measure registryd "$REGISTRYD" convert "$DATA" --to ntriples
else
  echo "warning: $REGISTRYD not found; skipping registryd (build it or set REGISTRYD)" >&2
fi

parsers+=(rapper)  # -c counts without serialising; the count is on stderr, which -q would suppress
measure rapper rapper -c -i rdfxml "$DATA"
COUNT[rapper]=$(sed -n 's/.*Parsing returned \([0-9]*\) triple.*/\1/p' "$TMP/rapper.err")

parsers+=(pyoxigraph)
COUNT[pyoxigraph]=$("$PY" bench/parse_pyoxigraph.py "$DATA")
measure pyoxigraph "$PY" bench/parse_pyoxigraph.py "$DATA"

# (d) Report.
echo "RDF/XML parse: $DATA ($(du -m "$DATA" | cut -f1) MiB), median of $RUNS runs"
printf '%-11s %9s %9s %11s %13s\n' parser triples 'median s' 'triples/s' 'peak RSS MiB'
for p in "${parsers[@]}"; do
  printf '%-11s %9s %9.2f %11.0f %13s\n' "$p" "${COUNT[$p]}" "${SECS[$p]}" \
    "$(awk -v n="${COUNT[$p]}" -v s="${SECS[$p]}" 'BEGIN { print n / s }')" "${RSS[$p]}"
done
if [ -n "${SECS[registryd]:-}" ]; then
  for p in rapper pyoxigraph; do
    awk -v n="${COUNT[registryd]}" -v s="${SECS[registryd]}" -v m="${COUNT[$p]}" -v t="${SECS[$p]}" -v p="$p" \
      'BEGIN { printf "registryd / %s triples/s: %.2fx\n", p, (n / s) / (m / t) }'
  done
fi

status=0
for p in "${parsers[@]}"; do
  if [ "${COUNT[$p]}" != "${COUNT[rapper]}" ]; then
    echo "error: triple counts differ: $p ${COUNT[$p]} vs rapper ${COUNT[rapper]}" >&2
    status=1
  fi
done
exit $status
