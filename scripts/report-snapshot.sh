#!/usr/bin/env bash
# Writes the JSON report of every fixture and every file of ../shared/corpus/ into DIR, one
# file each, so two builds can be compared byte for byte (`diff -r before/ after/`): the proof
# that a refactoring changed no behaviour.
#   scripts/report-snapshot.sh target/release/kibana-preflight DIR
set -uo pipefail
bin=$(realpath "$1"); out=$(realpath -m "$2")
cd "$(dirname "$0")/.."
mkdir -p "$out"
name() { printf '%s' "$1" | tr '/' '_'; }
# Fixtures: with the arguments their first line asks for (`# kp-args:`), as the tests run them.
while IFS= read -r f; do
  first=$(head -n1 "$f")
  args=()
  if [[ $first == "# kp-args:"* ]]; then
    dir=$(dirname "$f")
    read -r -a args <<<"${first#\# kp-args:}"
    args=("${args[@]//\{dir\}/$dir}")
  fi
  "$bin" lint --no-process-env --format json "${args[@]}" "$f" >"$out/$(name "$f").json" 2>"$out/$(name "$f").err"
  echo "exit $?" >>"$out/$(name "$f").err"
done < <(find fixtures -name '*.yml' | sort)
# The demo with its connector, the stack and the secrets fixture, as the docs run them.
"$bin" lint --no-process-env --format json --connector fixtures/demo/connector.json fixtures/demo/kibana.yml >"$out/demo-connector.json" 2>&1
"$bin" lint --no-process-env --format json --stack fixtures/stack/base.yml fixtures/stack/prod.yml >"$out/stack.json" 2>&1
"$bin" lint --no-process-env --format json --env-file fixtures/good/kibana.env --url https://hooks.example.com/alert fixtures/good/kibana.yml >"$out/good-url.json" 2>&1
"$bin" lint --no-process-env --format json --env-file fixtures/secrets/kibana.env --docker-env fixtures/secrets/docker.env --connector fixtures/secrets/connector.json fixtures/secrets/kibana.yml >"$out/secrets.json" 2>&1
# The corpus, when it is beside the checkout.
if [ -d ../shared/corpus ]; then
  for f in ../shared/corpus/*; do
    "$bin" lint --no-process-env --format json "$f" >"$out/corpus_$(basename "$f").json" 2>&1
    for fmt in sarif junit; do
      "$bin" lint --no-process-env --format "$fmt" "$f" >"$out/corpus_$(basename "$f").$fmt" 2>&1
    done
  done
fi
# diagnose on the catalogue's examples is covered by tests/diagnose.rs snapshots.
