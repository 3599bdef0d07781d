#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 20), seeded from fixtures/, the shared
# robustness corpus (when present beside the checkout) and the inputs earlier runs found
# (fuzz/regressions/<target>/, kept in the repository and replayed by `cargo test`).
# A crash, a timeout (one input over 10 s) or memory over 2 GB fails the run; the input is
# copied to fuzz/regressions/<target>/ to be kept.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
targets=(kibana_yml substitution webhook_url keystore docker_env connector_spec)
if ! cargo +nightly fuzz build -O >target/fuzz-build.log 2>&1; then
  echo "fuzz: the targets do not build (target/fuzz-build.log):"
  grep -E "^error" -A8 target/fuzz-build.log | head -40
  exit 1
fi
status=0
for t in "${targets[@]}"; do
  work="target/fuzz-corpus/$t"
  seeds="target/fuzz-seeds/$t"
  mkdir -p "$work" "$seeds" "fuzz/regressions/$t" "fuzz/artifacts/$t"
  # Seeds: every fixture and corpus file (size-capped by libFuzzer's -max_len below).
  find fixtures ../shared/corpus -type f 2>/dev/null | head -2000 | while read -r f; do
    cp "$f" "$seeds/$(echo "$f" | tr '/' '_')" 2>/dev/null || true
  done
  cp fuzz/regressions/"$t"/* "$seeds/" 2>/dev/null || true
  echo "fuzz: $t for ${seconds}s"
  if ! cargo +nightly fuzz run -O "$t" "$work" "$seeds" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 >"target/fuzz-$t.log" 2>&1; then
    status=1
    echo "fuzz: $t FAILED (target/fuzz-$t.log)"
    tail -40 "target/fuzz-$t.log"
    for a in fuzz/artifacts/"$t"/*; do
      [ -f "$a" ] && cp "$a" "fuzz/regressions/$t/" && echo "fuzz: kept $a in fuzz/regressions/$t/"
    done
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "target/fuzz-$t.log" | sed "s/^/fuzz: $t /"
  fi
done
exit "$status"
