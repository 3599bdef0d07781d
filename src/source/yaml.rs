//! A located YAML tree: every key and value keeps its line and column.
//!
//! Built from `saphyr-parser` events (a maintained YAML 1.2 parser that reports spans;
//! `serde_yaml` is archived and loses positions). On top of the parser this enforces what Kibana's
//! YAML loader enforces: duplicate keys in one mapping are a parse error, a file holds one
//! document, and aliases are limited the way the `yaml` package limits them (its
//! `maxAliasCount: 100`), so an alias bomb is reported instead of expanded.

use super::saphyr::{Event, Parser, ScalarStyle, Span as PSpan};

use super::scalar::{self, Scalar, Style};
use super::{Pos, Span};

/// Deeper nesting than any kibana.yml needs; guards the tree walk.
pub(crate) const MAX_DEPTH: usize = 128;
/// yaml's default `maxAliasCount`.
const MAX_ALIAS_COUNT: u64 = 100;
/// A hard cap on nodes produced by alias expansion, whatever the counting says.
const MAX_EXPANDED_NODES: u64 = 100_000;

/// A YAML node with its span.
#[derive(Clone, Debug)]
pub(crate) struct Yaml {
    pub(crate) kind: YamlKind,
    pub(crate) span: Span,
}

#[derive(Clone, Debug)]
pub(crate) enum YamlKind {
    Scalar(YamlScalar),
    Seq(Vec<Yaml>),
    Map(Vec<(Yaml, Yaml)>),
}

#[derive(Clone, Debug)]
pub(crate) struct YamlScalar {
    /// The value typed by the core schema.
    pub(crate) value: Scalar,
}

impl Yaml {
    #[cfg(test)]
    pub(crate) fn as_scalar(&self) -> Option<&YamlScalar> {
        match &self.kind {
            YamlKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The string a mapping key becomes in JavaScript (`String(key)`).
    pub(crate) fn key_string(&self) -> String {
        match &self.kind {
            YamlKind::Scalar(s) => match &s.value {
                Scalar::Null => String::new(),
                Scalar::Bool(b) => b.to_string(),
                Scalar::Number(n) => scalar::js_number_string(*n),
                Scalar::Str(s) => s.clone(),
            },
            // Collections as keys: yaml stringifies them; nobody writes this in kibana.yml.
            _ => String::from("[object Object]"),
        }
    }
}

/// Something the loader noticed while reading the YAML.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum YamlIssue {
    /// The parser gave up here. Kibana refuses to start.
    Syntax { message: String, at: Pos },
    /// A key repeated in one mapping (`Map keys must be unique`).
    DuplicateKey {
        key: String,
        first: Span,
        second: Span,
    },
    /// A second document starts here (`Source contains multiple documents`).
    MultipleDocuments { at: Span },
    /// Nesting deeper than [`MAX_DEPTH`].
    TooDeep { at: Pos },
    /// Alias expansion over the limit (`Excessive alias count indicates a resource exhaustion attack`).
    ExcessiveAliases { at: Span },
    /// One of the parsers Kibana may use for this file refuses it, the other accepts it (see
    /// [`parse_for`]); the tree is the accepting parser's.
    ParsersDisagree {
        refusing: KibanaYaml,
        accepting: KibanaYaml,
        refusal: Box<YamlIssue>,
        /// Whether the version itself changed parsers in a patch release not established here
        /// (otherwise the refusing parser is the one of later versions).
        switch_in_version: bool,
    },
}

impl YamlIssue {
    /// Whether the parser refuses the file for this (not our own limits, not a note).
    pub(crate) fn is_refusal(&self) -> bool {
        !matches!(
            self,
            YamlIssue::TooDeep { .. } | YamlIssue::ParsersDisagree { .. }
        )
    }

    /// Where it was found.
    pub(crate) fn pos(&self) -> Pos {
        match self {
            YamlIssue::Syntax { at, .. } | YamlIssue::TooDeep { at } => *at,
            YamlIssue::DuplicateKey { second, .. } => second.start,
            YamlIssue::MultipleDocuments { at } | YamlIssue::ExcessiveAliases { at } => at.start,
            YamlIssue::ParsersDisagree { refusal, .. } => refusal.pos(),
        }
    }
}

/// The first document of a file, plus what went wrong reading it.
#[derive(Debug, Default)]
pub(crate) struct ParsedYaml {
    /// `None` for an empty file (Kibana treats it as no settings).
    pub(crate) root: Option<Yaml>,
    pub(crate) issues: Vec<YamlIssue>,
    /// Whether parsing stopped early, so `root` may be incomplete.
    pub(crate) incomplete: bool,
}

/// The YAML parsers Kibana has read kibana.yml with (kbn-config `raw/read_config.ts`, no
/// options in any version): js-yaml 3 `safeLoad` up to 8.18, js-yaml 4 `load` in 8.19 and
/// 9.0–9.4 (PR #190678), the `yaml` package's `parse` after the migration (PR #252351).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum KibanaYaml {
    JsYaml3,
    JsYaml4,
    Yaml2,
}

impl KibanaYaml {
    /// How the parser is named in findings.
    pub(crate) fn name(self) -> &'static str {
        match self {
            KibanaYaml::JsYaml3 => "js-yaml 3",
            KibanaYaml::JsYaml4 => "js-yaml 4",
            KibanaYaml::Yaml2 => "the `yaml` package",
        }
    }
}

/// Parses `text` into a located tree, as the `yaml` package would accept it.
pub(crate) fn parse(text: &str) -> ParsedYaml {
    parse_as(text, KibanaYaml::Yaml2)
}

/// Parses `text` into a located tree, accepting and refusing what `parser` does: saphyr-parser
/// (patched to the `yaml` package's flow indentation, source/saphyr/PATCHES.md) reads
/// like `yaml`; js-yaml does not check the indentation of flow collections and has no alias
/// limit.
pub(crate) fn parse_as(text: &str, parser: KibanaYaml) -> ParsedYaml {
    let parsed = parse_with(text, parser);
    if parser != KibanaYaml::JsYaml3 || parsed.issues.is_empty() {
        return parsed;
    }
    // js-yaml 3 reads tabs among a line's leading blanks differently (see below); where the
    // text as written fails, it is read again that way.
    match without_indentation_tabs(text) {
        Some((retyped, shifts)) => {
            let mut again = parse_with(&retyped, parser);
            shift_back(&mut again, &shifts);
            again
        }
        None => parsed,
    }
}

/// Per changed line: (line, spaces kept, blanks removed).
type Shifts = Vec<(u32, u32, u32)>;

/// js-yaml 3 counts only the spaces before a line's first tab as its indentation and skips the
/// rest of its leading blanks, so `a:\n\tb: 1` is `{a: null, b: 1}` (js-yaml 4 and the `yaml`
/// package refuse it). But a block collection that starts on such a line takes the column its
/// first entry starts at (`composeNode`'s `blockIndent`, blanks counted one each), and the lines
/// after it are matched by their spaces: `k:\n\t- a\n - b` is `{k: [a, b]}`, and `a:\n \tb: 1\n
/// c: 2` is `{a: {b: 1, c: 2}}`. So a tab-led line that starts a child collection (after a
/// line ending in `:`, or at the document's start; a sequence also at its parent's indent) is
/// retyped with one space per blank, keeping its columns; any other loses its blanks after the
/// spaces. Returns the text and, per line that lost blanks, (line, spaces kept, blanks removed)
/// to put columns back.
fn without_indentation_tabs(text: &str) -> Option<(String, Shifts)> {
    let mut out = String::with_capacity(text.len());
    let mut shifts = Vec::new();
    let mut changed = false;
    // The previous content line: its indentation as retyped, and whether it opens a child
    // (`key:`); `None` at the document's start.
    let mut prev: Option<(usize, bool)> = None;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let spaces = line.len() - line.trim_start_matches(' ').len();
        let after = &line[spaces..];
        let blanks = after.len() - after.trim_start_matches([' ', '\t']).len();
        let content = &after[blanks..];
        let body = content.trim_end();
        if body.is_empty() || body.starts_with('#') {
            out.push_str(line);
            continue;
        }
        let mut indent = spaces;
        if after.starts_with('\t') {
            changed = true;
            let sequence = body == "-" || body.starts_with("- ");
            let child = match prev {
                None => true,
                Some((parent, true)) => spaces > parent || (spaces == parent && sequence),
                Some((_, false)) => false,
            };
            if child {
                indent = spaces + blanks;
                out.push_str(&" ".repeat(indent));
            } else {
                out.push_str(&line[..spaces]);
                shifts.push((i as u32 + 1, spaces as u32, blanks as u32));
            }
            out.push_str(content);
        } else {
            indent += blanks;
            out.push_str(line);
        }
        // A `- ` entry's own mapping starts two columns further in.
        let entries = body.len() - body.trim_start_matches("- ").len();
        prev = Some((indent + entries, opens_child(body)));
    }
    changed.then_some((out, shifts))
}

/// Whether a content line ends with a key whose value is on the next lines (`key:`, `- key:`,
/// a bare `-`), a trailing comment aside.
fn opens_child(body: &str) -> bool {
    let body = match body.find(" #") {
        Some(at) => body[..at].trim_end(),
        None => body,
    };
    body == "-" || body.ends_with(':') || body.ends_with(" -")
}

/// Puts the columns of a tree read from [`without_indentation_tabs`]'s text back on the
/// original lines.
fn shift_back(parsed: &mut ParsedYaml, shifts: &[(u32, u32, u32)]) {
    let fix = |p: &mut Pos| {
        if let Ok(i) = shifts.binary_search_by_key(&p.line, |s| s.0) {
            let (_, kept, removed) = shifts[i];
            if p.col > kept {
                p.col += removed;
            }
        }
    };
    fn walk(node: &mut Yaml, fix: &dyn Fn(&mut Pos)) {
        fix(&mut node.span.start);
        fix(&mut node.span.end);
        match &mut node.kind {
            YamlKind::Scalar(_) => {}
            YamlKind::Seq(items) => items.iter_mut().for_each(|n| walk(n, fix)),
            YamlKind::Map(pairs) => pairs.iter_mut().for_each(|(k, v)| {
                walk(k, fix);
                walk(v, fix);
            }),
        }
    }
    if let Some(root) = &mut parsed.root {
        walk(root, &fix);
    }
    for issue in &mut parsed.issues {
        match issue {
            YamlIssue::Syntax { at, .. } | YamlIssue::TooDeep { at } => fix(at),
            YamlIssue::DuplicateKey { first, second, .. } => {
                for p in [
                    &mut first.start,
                    &mut first.end,
                    &mut second.start,
                    &mut second.end,
                ] {
                    fix(p);
                }
            }
            YamlIssue::MultipleDocuments { at } | YamlIssue::ExcessiveAliases { at } => {
                fix(&mut at.start);
                fix(&mut at.end);
            }
            YamlIssue::ParsersDisagree { .. } => {}
        }
    }
}

fn parse_with(text: &str, parser: KibanaYaml) -> ParsedYaml {
    // The `yaml` package (2.8) refuses a byte order mark directly before a top-level `- `
    // ("Unexpected scalar at node end"); js-yaml and saphyr read it.
    if parser == KibanaYaml::Yaml2
        && text
            .strip_prefix('\u{feff}')
            .and_then(|t| t.strip_prefix('-'))
            .is_some_and(|t| t.starts_with([' ', '\t', '\n', '\r']))
    {
        return ParsedYaml {
            root: None,
            issues: vec![YamlIssue::Syntax {
                message: "did not find expected <document start>".into(),
                at: Pos::new(1, 3),
            }],
            incomplete: true,
        };
    }
    let js_yaml = parser != KibanaYaml::Yaml2;
    let mut builder = Builder {
        parser: Parser::new_from_str(text).with_lenient_flow_indentation(js_yaml),
        alias_limit: !js_yaml,
        numbers: match parser {
            KibanaYaml::JsYaml3 => scalar::Numbers::JsYaml3,
            KibanaYaml::JsYaml4 => scalar::Numbers::JsYaml4,
            KibanaYaml::Yaml2 => scalar::Numbers::Core,
        },
        issues: Vec::new(),
        anchors: Vec::new(),
        anchor_index: std::collections::HashMap::new(),
        alias_uses: Vec::new(),
        depth: 0,
        expanded: 0,
    };
    let (root, incomplete) = builder.run();
    ParsedYaml {
        root,
        issues: builder.issues,
        incomplete,
    }
}

/// An anchored node plus the `yaml` package's alias bookkeeping for it.
struct Anchor {
    node: Yaml,
    /// Starts at 1 and grows with every alias of this anchor (yaml's `data.count`).
    count: u64,
    /// yaml's `data.aliasCount`, computed at the first alias (0 = not yet).
    alias_count: u64,
}

struct Builder<'a> {
    parser: Parser<'a, super::saphyr::StrInput<'a>>,
    /// Whether yaml's `maxAliasCount` applies (js-yaml has none).
    alias_limit: bool,
    numbers: scalar::Numbers,
    issues: Vec<YamlIssue>,
    anchors: Vec<Anchor>,
    /// The latest anchor for each id (index into `anchors`).
    anchor_index: std::collections::HashMap<usize, usize>,
    /// Every alias written in the document: where, and which anchor (index into `anchors`).
    alias_uses: Vec<(Span, usize)>,
    depth: usize,
    expanded: u64,
}

/// Why building stopped.
enum Stop {
    /// An issue was recorded; the tree is incomplete.
    Abort,
}

fn pos(marker: &super::saphyr::Marker) -> Pos {
    Pos::new(marker.line() as u32, marker.col() as u32 + 1)
}

fn span(s: &PSpan) -> Span {
    Span::new(pos(&s.start), pos(&s.end))
}

impl<'a> Builder<'a> {
    fn next(&mut self) -> Result<(Event<'a>, PSpan), Stop> {
        match self.parser.next_event() {
            Some(Ok(ev)) => Ok(ev),
            Some(Err(e)) => {
                self.issues.push(YamlIssue::Syntax {
                    message: e.info().to_string(),
                    at: pos(e.marker()),
                });
                Err(Stop::Abort)
            }
            None => {
                self.issues.push(YamlIssue::Syntax {
                    message: "unexpected end of input".into(),
                    at: Pos::new(1, 1),
                });
                Err(Stop::Abort)
            }
        }
    }

    fn run(&mut self) -> (Option<Yaml>, bool) {
        let mut root = None;
        let mut documents = 0;
        loop {
            let (event, sp) = match self.next() {
                Ok(e) => e,
                Err(Stop::Abort) => return (root, true),
            };
            match event {
                Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
                Event::StreamEnd => return (root, false),
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents > 1 {
                        self.issues
                            .push(YamlIssue::MultipleDocuments { at: span(&sp) });
                        // Kibana stops here; so do we, keeping the first document.
                        return (root, false);
                    }
                    match self.node() {
                        Ok(n) => root = Some(n),
                        Err(Stop::Abort) => return (root, true),
                    }
                }
                _ => {
                    self.issues.push(YamlIssue::Syntax {
                        message: "unexpected content outside a document".into(),
                        at: span(&sp).start,
                    });
                    return (root, true);
                }
            }
        }
    }

    fn node(&mut self) -> Result<Yaml, Stop> {
        let (event, sp) = self.next()?;
        self.node_from(event, sp)
    }

    fn node_from(&mut self, event: Event<'a>, sp: PSpan) -> Result<Yaml, Stop> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Style::Quoted,
                    ScalarStyle::Literal | ScalarStyle::Folded => Style::Block,
                };
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                let value = scalar::resolve_as(&text, style, tag.as_deref(), self.numbers);
                let node = Yaml {
                    kind: YamlKind::Scalar(YamlScalar { value }),
                    span: span(&sp),
                };
                self.remember(anchor, &node);
                Ok(node)
            }
            Event::SequenceStart(anchor, _) => {
                self.enter(&sp)?;
                let start = span(&sp).start;
                let mut items = Vec::new();
                let end = loop {
                    let (ev, isp) = self.next()?;
                    if ev == Event::SequenceEnd {
                        break span(&isp).end;
                    }
                    items.push(self.node_from(ev, isp)?);
                };
                self.depth -= 1;
                let node = Yaml {
                    kind: YamlKind::Seq(items),
                    span: Span::new(start, end),
                };
                self.remember(anchor, &node);
                Ok(node)
            }
            Event::MappingStart(anchor, _) => {
                self.enter(&sp)?;
                let start = span(&sp).start;
                let mut pairs: Vec<(Yaml, Yaml)> = Vec::new();
                // Keys seen so far, by identity: duplicate detection stays linear.
                let mut seen: rustc_hash::FxHashMap<KeyId, usize> = Default::default();
                let end = loop {
                    let (ev, ksp) = self.next()?;
                    if ev == Event::MappingEnd {
                        break span(&ksp).end;
                    }
                    let key = self.node_from(ev, ksp)?;
                    let value = self.node()?;
                    if let Some(id) = key_id(&key) {
                        match seen.get(&id) {
                            Some(&i) => self.issues.push(YamlIssue::DuplicateKey {
                                key: key.key_string(),
                                first: pairs[i].0.span,
                                second: key.span,
                            }),
                            None => {
                                seen.insert(id, pairs.len());
                            }
                        }
                    }
                    pairs.push((key, value));
                };
                self.depth -= 1;
                let node = Yaml {
                    kind: YamlKind::Map(pairs),
                    span: Span::new(start, end),
                };
                self.remember(anchor, &node);
                Ok(node)
            }
            Event::Alias(id) => self.alias(id, span(&sp)),
            _ => {
                self.issues.push(YamlIssue::Syntax {
                    message: "unexpected YAML event".into(),
                    at: span(&sp).start,
                });
                Err(Stop::Abort)
            }
        }
    }

    fn enter(&mut self, sp: &PSpan) -> Result<(), Stop> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.issues.push(YamlIssue::TooDeep { at: span(sp).start });
            return Err(Stop::Abort);
        }
        Ok(())
    }

    fn remember(&mut self, anchor: usize, node: &Yaml) {
        if anchor == 0 {
            return;
        }
        // A later anchor of the same name replaces the earlier one for the aliases after it.
        self.anchor_index.insert(anchor, self.anchors.len());
        self.anchors.push(Anchor {
            node: node.clone(),
            count: 1,
            alias_count: 0,
        });
    }

    /// yaml's `getAliasCount`: the largest `count * aliasCount` of the aliases written inside
    /// the node; a scalar or a collection without aliases counts 1, an empty one 0.
    fn alias_count_of(&self, node: &Yaml) -> u64 {
        // Aliases are recorded in document order: the ones inside the node are one run of
        // them, found by binary search (a scan of all of them per anchor was quadratic).
        let first = self
            .alias_uses
            .partition_point(|(at, _)| at.start < node.span.start);
        let inner = self.alias_uses[first..]
            .iter()
            .take_while(|(at, _)| at.start <= node.span.end)
            .filter(|(at, _)| contains(node.span, *at))
            .map(|(_, i)| self.anchors[*i].count * self.anchors[*i].alias_count)
            .max();
        let base = match &node.kind {
            YamlKind::Scalar(_) => 1,
            YamlKind::Seq(items) => u64::from(!items.is_empty()),
            YamlKind::Map(pairs) => u64::from(!pairs.is_empty()),
        };
        inner.map_or(base, |w| w.max(base))
    }

    fn alias(&mut self, id: usize, at: Span) -> Result<Yaml, Stop> {
        let Some(&index) = self.anchor_index.get(&id) else {
            self.issues.push(YamlIssue::Syntax {
                message: "alias refers to an anchor that is not defined before it".into(),
                at: at.start,
            });
            return Err(Stop::Abort);
        };
        self.anchors[index].count += 1;
        if self.anchors[index].alias_count == 0 {
            let node = self.anchors[index].node.clone();
            self.anchors[index].alias_count = self.alias_count_of(&node);
        }
        let anchor = &self.anchors[index];
        let weight = anchor.count.saturating_mul(anchor.alias_count);
        self.expanded = self.expanded.saturating_add(node_count(&anchor.node));
        if (self.alias_limit && weight > MAX_ALIAS_COUNT) || self.expanded > MAX_EXPANDED_NODES {
            self.issues.push(YamlIssue::ExcessiveAliases { at });
            return Err(Stop::Abort);
        }
        let node = anchor.node.clone();
        self.alias_uses.push((at, index));
        Ok(node)
    }
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

fn node_count(node: &Yaml) -> u64 {
    match &node.kind {
        YamlKind::Scalar(_) => 1,
        YamlKind::Seq(items) => 1 + items.iter().map(node_count).sum::<u64>(),
        YamlKind::Map(pairs) => {
            1 + pairs
                .iter()
                .map(|(k, v)| node_count(k) + node_count(v))
                .sum::<u64>()
        }
    }
}

/// yaml's `uniqueKeys`: equal scalar values are the same key (`1` and `1.0` too, `1` and `"1"` not).
/// What makes two mapping keys the same key, as `yaml`'s uniqueness check compares scalars.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum KeyId {
    Null,
    Bool(bool),
    /// The bits of the number, with -0 folded into 0 (they are equal).
    Number(u64),
    Str(String),
}

/// A scalar key's identity; `None` for collections and NaN, which equal nothing.
fn key_id(key: &Yaml) -> Option<KeyId> {
    let YamlKind::Scalar(s) = &key.kind else {
        return None;
    };
    Some(match &s.value {
        Scalar::Null => KeyId::Null,
        Scalar::Bool(b) => KeyId::Bool(*b),
        Scalar::Number(n) if n.is_nan() => return None,
        Scalar::Number(n) => KeyId::Number((n + 0.0).to_bits()),
        Scalar::Str(s) => KeyId::Str(s.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_keys(y: &Yaml) -> Vec<String> {
        match &y.kind {
            YamlKind::Map(pairs) => pairs.iter().map(|(k, _)| k.key_string()).collect(),
            _ => panic!("not a map"),
        }
    }

    #[test]
    fn keys_and_values_keep_positions() {
        let p = parse("xpack.actions:\n  allowedHosts: [\"a.com\", b.com]\n");
        assert!(p.issues.is_empty(), "{:?}", p.issues);
        let root = p.root.unwrap();
        let YamlKind::Map(pairs) = &root.kind else {
            panic!()
        };
        let (_, actions) = &pairs[0];
        let YamlKind::Map(inner) = &actions.kind else {
            panic!()
        };
        let (key, value) = &inner[0];
        assert_eq!(key.span.start, Pos::new(2, 3));
        let YamlKind::Seq(items) = &value.kind else {
            panic!()
        };
        // The quoted scalar's span includes its quotes.
        assert_eq!(items[0].span, Span::new(Pos::new(2, 18), Pos::new(2, 25)));
        assert_eq!(items[1].span.start, Pos::new(2, 27));
    }

    #[test]
    fn duplicate_key_points_at_the_second_occurrence() {
        let p = parse("a: 1\nb: 2\na: 3\n");
        assert_eq!(
            p.issues,
            vec![YamlIssue::DuplicateKey {
                key: "a".into(),
                first: Span::new(Pos::new(1, 1), Pos::new(1, 2)),
                second: Span::new(Pos::new(3, 1), Pos::new(3, 2)),
            }]
        );
    }

    #[test]
    fn equal_values_are_duplicate_keys_but_number_and_string_are_not() {
        assert_eq!(parse("1: a\n1.0: b\n").issues.len(), 1);
        assert!(parse("1: a\n\"1\": b\n").issues.is_empty());
        // Dotted and nested spellings are different YAML keys; Kibana merges them later.
        assert!(parse("a.b: 1\na:\n  b: 2\n").issues.is_empty());
    }

    #[test]
    fn tabs_in_indentation_are_syntax_errors_with_a_position() {
        let p = parse("a:\n\tb: 1\n");
        assert!(matches!(
            &p.issues[..],
            [YamlIssue::Syntax { at, message }] if at.line == 2 && message.contains("tab")
        ));
        assert!(p.incomplete);
    }

    #[test]
    fn a_second_document_is_reported_and_the_first_kept() {
        let p = parse("a: 1\n---\nb: 2\n");
        assert!(
            matches!(&p.issues[..], [YamlIssue::MultipleDocuments { at }] if at.start.line == 2)
        );
        assert_eq!(map_keys(&p.root.unwrap()), vec!["a"]);
        // A leading `---` is one document.
        assert!(parse("---\na: 1\n").issues.is_empty());
    }

    #[test]
    fn crlf_and_comments_in_flow_mappings() {
        let p = parse("a: {x: 1, # one\r\n  y: 2,}\r\nb: [1, # c\r\n 2]\r\n");
        assert!(p.issues.is_empty(), "{:?}", p.issues);
        let root = p.root.unwrap();
        assert_eq!(map_keys(&root), vec!["a", "b"]);
        let YamlKind::Map(pairs) = &root.kind else {
            panic!()
        };
        assert_eq!(pairs[1].0.span.start, Pos::new(3, 1));
    }

    #[test]
    fn empty_and_comment_only_files_have_no_root() {
        assert!(parse("").root.is_none());
        assert!(parse("# just a comment\n").root.is_none());
    }

    #[test]
    fn aliases_expand_to_the_anchored_value() {
        let p = parse("a: &h hooks.example.com\nb: *h\n");
        assert!(p.issues.is_empty());
        let YamlKind::Map(pairs) = &p.root.unwrap().kind else {
            panic!()
        };
        assert_eq!(
            pairs[1].1.as_scalar().unwrap().value,
            crate::source::scalar::Scalar::Str("hooks.example.com".into())
        );
    }

    #[test]
    fn billion_laughs_is_stopped_like_the_yaml_package_does() {
        let mut doc = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            let refs = vec![format!("*{}", w[0]); 9].join(", ");
            doc.push_str(&format!("{}: &{} [{}]\n", w[1], w[1], refs));
        }
        let p = parse(&doc);
        assert!(
            matches!(p.issues.last(), Some(YamlIssue::ExcessiveAliases { .. })),
            "{:?}",
            p.issues
        );
    }

    #[test]
    fn one_hundred_aliases_of_one_scalar_trip_the_limit() {
        // yaml: count starts at 1, so the 100th alias makes count 101 > maxAliasCount 100.
        let mut ok = String::from("a: &x v\nl:\n");
        for _ in 0..99 {
            ok.push_str("  - *x\n");
        }
        assert!(parse(&ok).issues.is_empty());
        let bad = format!("{ok}  - *x\n");
        assert!(matches!(
            parse(&bad).issues.last(),
            Some(YamlIssue::ExcessiveAliases { .. })
        ));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let doc = "[".repeat(MAX_DEPTH + 10) + &"]".repeat(MAX_DEPTH + 10);
        let p = parse(&doc);
        assert!(matches!(p.issues.last(), Some(YamlIssue::TooDeep { .. })));
    }
}
