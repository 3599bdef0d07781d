// Reference verdicts for the ui settings cross-check (ui_settings_tests.rs). argv[1]:
// node_modules holding the moment-timezone versions; stdin: {"versions": [...], "zones": [...],
// "routes": [...]}. Prints {"zones": [[accepted by some version, by every version], ...],
// "routes": [[older isRelativeUrl, newer isRelativeUrl], ...]}: `dateFormat:tz` against
// ['Browser', ...TIMEZONE_OPTIONS] of each version, `defaultRoute` against
// `value.startsWith('/') && isRelativeUrl(value)` as @kbn/std's two copies of url.ts write it.
// The legacy parser warns (DEP0170) on the hosts the mixes make; the verdict is what counts.
process.noDeprecation = true;
const url = require("url");
const mods = process.argv[1];
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const LEFT_OUT = ["America/Nuuk", "EST", "HST", "ROC", "MST"];
const options = input.versions.map((v) => [
  "Browser",
  ...require(`${mods}/${v}`).tz.names().filter((tz) => !LEFT_OUT.includes(tz)),
]);
// Older: the legacy parser, slashes denoting a host; no protocol, host or port.
const older = (v) => {
  const { protocol, hostname, port } = url.parse(v, false, true);
  return protocol === null && hostname === null && port === null;
};
// Newer: a leading `//` is a host; anything `new URL` parses alone is absolute.
const newer = (v) => {
  if (v.trimStart().startsWith("//")) return false;
  try {
    new URL(v);
    return false;
  } catch {
    return true;
  }
};
process.stdout.write(
  JSON.stringify({
    zones: input.zones.map((z) => [
      options.some((o) => o.includes(z)),
      options.every((o) => o.includes(z)),
    ]),
    routes: input.routes.map((r) => [r.startsWith("/") && older(r), r.startsWith("/") && newer(r)]),
  }),
);
