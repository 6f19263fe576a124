#!/usr/bin/env bash
# Keeps a full e2e run as the baseline for machines of its vector ISA:
# reports/e2e.json -> perf/testdata/baselines/e2e/<isa>.json (see perf/e2e/README.md,
# "Baselines, one per kind of machine"). Run it after an idle `make perf-e2e`.
# Usage: e2e-baseline.sh [results.json]   Exit: 0 copied, 2 refused (with the reason).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
src=${1:-$root/reports/e2e.json}
[[ -f "$src" ]] || { echo "e2e-baseline: no $src; run make perf-e2e first" >&2; exit 2; }
field() {  # the first "key": "value" string of the document (pretty-printed JSON)
  grep -o "\"$1\": *\"[^\"]*\"" "$src" | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/'
}
schema=$(field schema) variant=$(field variant) isa=$(field isa)
[[ "$schema" == vsr-e2e-results ]] || { echo "e2e-baseline: $src is not vsr-e2e-results" >&2; exit 2; }
[[ "$variant" == full ]] ||
  { echo "e2e-baseline: $src is a '$variant' run; only full runs are baselines" >&2; exit 2; }
[[ "$isa" =~ ^[a-z0-9_]+$ ]] ||
  { echo "e2e-baseline: $src records no machine ISA (context.isa)" >&2; exit 2; }
dst=$root/perf/testdata/baselines/e2e/$isa.json
mkdir -p "$(dirname "$dst")"
cp "$src" "$dst"
echo "e2e-baseline: $src -> $dst"
