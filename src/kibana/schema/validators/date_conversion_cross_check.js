// Reference verdicts for date_conversion_cross_check.rs. argv[1]: node_modules holding the
// moment-timezone versions; stdin: {"versions": [...], "names": [...], "patterns": [...]}.
// Prints {"all": [every version's moment.tz.names()], "names": [those accepted by any version],
// "patterns": [[before 8.17, from 8.17], ...]}, each verdict null, ["format", x] or
// ["timezone", x].
const mods = process.argv[1];
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
// Each copy patches the one shared `moment`; its `tz` keeps its own zone data.
const tzs = input.versions.map((v) => require(`${mods}/${v}`).tz);
const found = (name) =>
  tzs.some((tz) => {
    try {
      return !!tz.zone(name);
    } catch {
      return false; // 0.5.x throws a TypeError for `constructor` and `__proto__`: refused too
    }
  });
// The conversion's regexes as core's logging package writes them: before 8.17 (8.x copy) and
// from 8.17 (PR #200317); the formats object is checked with `in` (Reflect.has).
const regexes = [
  /%date({(?<format>[^}]+)})?({(?<timezone>[^}]+)})?/g,
  /%date(?:\{(?<format>[^}]+)\})?(?:\{(?<timezone>[A-Za-z/_+-]+)\})?/g,
];
const formats = { ISO8601: 1, ISO8601_TZ: 1, ABSOLUTE: 1, UNIX: 1, UNIX_MILLIS: 1 };
const verdict = (re, text) => {
  for (const m of text.matchAll(re)) {
    const { format, timezone } = m.groups;
    if (format && !(format in formats)) return ["format", format];
    if (timezone && !found(timezone)) return ["timezone", timezone];
  }
  return null;
};
process.stdout.write(
  JSON.stringify({
    all: [...new Set(tzs.flatMap((tz) => tz.names()))],
    names: input.names.filter(found),
    patterns: input.patterns.map((p) => regexes.map((re) => verdict(re, p))),
  }),
);
