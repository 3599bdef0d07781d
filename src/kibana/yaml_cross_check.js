// Judges YAML texts with the parsers Kibana has read kibana.yml with. Reads a JSON array of
// texts on stdin; prints a JSON array with, per text and parser, `{ok, value}` or
// `{ok: false, message, line, col}` (the first line of the parser's message and its position).
// argv[1]: the node_modules folder holding js-yaml3 (js-yaml@3), js-yaml (4) and yaml (2).
const path = require('path');
const mods = process.argv[1];
const jsyaml3 = require(path.join(mods, 'js-yaml3'));
const jsyaml4 = require(path.join(mods, 'js-yaml'));
const yaml = require(path.join(mods, 'yaml'));
process.emitWarning = () => {};
function plain(v) {
  if (v instanceof Date) return { date: v.toISOString() };
  if (typeof v === 'number' && !Number.isFinite(v)) return { number: String(v) };
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return { binary: true };
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v)) o[k] = plain(v[k]);
    return o;
  }
  return v === undefined ? null : v;
}
function run(f) {
  try {
    return { ok: true, value: plain(f()) };
  } catch (e) {
    const mark = e.mark || {};
    const pos = e.linePos && e.linePos[0];
    return {
      ok: false,
      message: String(e.reason || e.message).split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''),
      line: pos ? pos.line : mark.line !== undefined ? mark.line + 1 : null,
      col: pos ? pos.col : mark.column !== undefined ? mark.column + 1 : null,
    };
  }
}
let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  const out = JSON.parse(input).map((text) => ({
    js3: run(() => jsyaml3.safeLoad(text)),
    js4: run(() => jsyaml4.load(text)),
    yaml: run(() => yaml.parse(text)),
  }));
  process.stdout.write(JSON.stringify(out));
});
