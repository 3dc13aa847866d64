#!/usr/bin/env bash
# The peer comparison of issue #15: spanvero against Hugo, Eleventy, Jekyll, MkDocs, Pelican and
# our own stack's floor, on one corpus, in one round-robin run. It runs the shared harness
# (../shared/peer-bench, or PEER_BENCH) against this checkout; nothing third-party is copied here.
#
#   bash bench/peers.sh --install           # once: the peers, via install_peers.sh (apt/npm/pip)
#   NS=4000 RUNS=3 bash bench/peers.sh      # then: results.tsv and a summary table
#   PEER_LIST="hugo floor-2p-hl spanvero-ns spanvero" NS=4000 RUNS=1 bash bench/peers.sh
#
# "cold" deletes _site and .spanvero (so no cache); "warm" runs the same build again at once,
# nothing changed (so the persistent cache answers). Compare ratios within one run only.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
PEER_BENCH=${PEER_BENCH:-$REPO/../shared/peer-bench}
PEERS=${PEERS:-${TMPDIR:-/tmp}/peers}
WORK=${WORK:-${TMPDIR:-/tmp}/spanvero-bench-$(basename "$REPO")}
[ -d "$PEER_BENCH" ] || { echo "no peer bench at $PEER_BENCH (set PEER_BENCH)" >&2; exit 2; }
if [ "${1:-}" = --install ]; then exec bash "$PEER_BENCH/install_peers.sh" "$PEERS"; fi
[ -x "$REPO/.venv/bin/spanvero" ] || python3 "$REPO/build.py" --no-search --out "$WORK/smoke"
# The harness runs from a scratch copy with two files of ours put in: bench/peer_site.py as its
# make_spanvero_site.py (the spanvero corpus gets a site.yaml that fits it, see
# corpus.write_frame) and, when the shared copy has none, bench/floor.py as raw_python_floor.py.
HARNESS=$(mktemp -d)
trap 'rm -rf "$HARNESS"' EXIT
cp -a "$PEER_BENCH"/. "$HARNESS"/
chmod -R u+w "$HARNESS"
cp "$REPO/bench/peer_site.py" "$HARNESS/make_spanvero_site.py"
[ -f "$PEER_BENCH/raw_python_floor.py" ] || cp "$REPO/bench/floor.py" "$HARNESS/raw_python_floor.py"
# The harness appends to $WORK/results.tsv and summarises every row in it, so a file left by an
# earlier run would be pooled with this one: keep it under a dated name instead.
if [ -s "$WORK/results.tsv" ]; then
  mv "$WORK/results.tsv" "$WORK/results-$(date -u -r "$WORK/results.tsv" +%Y%m%dT%H%M%SZ).tsv"
fi
# The harness makes the spanvero site (the project's templates, static files and data around
# the corpus) once and reuses it while its .done marker stands, so a later run would build
# with the templates of the first: make it again from this checkout every run.
rm -f "$WORK"/corpus-*-spanvero/.done
PROJECT=$REPO bash "$HARNESS/run_peers.sh" "$PEERS" "$WORK"
