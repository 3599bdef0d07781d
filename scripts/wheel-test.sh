#!/usr/bin/env bash
# Builds the wheel as the release does (maturin with zig, so it runs on old glibc: manylinux
# 2.17), installs it into a fresh virtualenv and runs the README's command and --version from it.
# Usage: scripts/wheel-test.sh [--release]   (debug by default: the packaging path is the test)
set -euo pipefail
cd "$(dirname "$0")/.."
tools="$PWD/target/py-tools"
if [ ! -x "$tools/bin/maturin" ]; then
  python3 -m venv "$tools"
  "$tools/bin/pip" install --quiet --disable-pip-version-check 'maturin==1.15.0' 'ziglang==0.13.0'
fi
rm -rf target/wheels
PATH="$tools/bin:$PATH" "$tools/bin/maturin" build --quiet --zig --compatibility manylinux2014 \
  --out target/wheels "$@"
wheel=$(ls target/wheels/kibana_preflight-*.whl)
echo "built $(basename "$wheel")"
venv=$(mktemp -d)
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-index "$wheel"
# The README's main command, from the installed wheel (exit 1: the demo has findings).
set +e
"$venv/bin/kibana-preflight" lint fixtures/demo/kibana.yml > "$venv/out.txt"
code=$?
set -e
[ "$code" = 1 ] || { echo "the demo should exit 1, got $code" >&2; cat "$venv/out.txt" >&2; exit 1; }
grep -q 'KP301 invalid-allowed-host' "$venv/out.txt"
# Not `tee /dev/stderr`: opening /dev/stderr truncates a CI log that stderr is redirected to.
version=$("$venv/bin/kibana-preflight" --version)
echo "$version" >&2
grep -q '^kibana-preflight [0-9]' <<<"$version"
echo "wheel ok: installed into a fresh virtualenv, the README's command and --version run"
