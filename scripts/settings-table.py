#!/usr/bin/env python3
"""Regenerates the core and plugin parts of the settings table (rules/data/settings/) from the
research files in docs/research/settings/, which were read from Kibana's sources (each row cites
its file and commit; the .md beside each file says which versions were read and how complete).

    python3 scripts/settings-table.py   # rewrites server, elasticsearch, core, the parts of
                                        # PLUGIN_PARTS, plugins.toml, ../config-roots.toml

Merge rules (rules/data/settings/README.md explains the fields):
- core-server-es.toml gives `server` and `elasticsearch`, core-misc.toml the other core
  namespaces, removed-keys.toml removed, renamed and deprecated keys everywhere else. A key
  already in an earlier part (xpack.toml first) keeps that row.
- A namespace the research did not read completely is `open`: keys it does not list are "not
  judged", never errors.
- removed-keys rows outside a complete namespace: an inferred removal, or one a later release
  undid (`readded`), becomes `removed_maybe` (a warning); keys Kibana still accepts are typed
  `any` there, so a guessed type can never stop a file.
"""

import json
import pathlib
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
RESEARCH = ROOT / "docs/research/settings"
OUT = ROOT / "rules/data/settings"

SPEC_FIELDS = [
    "key", "type", "default", "defaults", "required", "values", "values_since", "min_length", "min_size",
    "max_size", "min", "max", "nullable", "allow_false", "boolean_shorthand", "added",
    "added_maybe", "removed", "removed_maybe", "readded", "readded_maybe", "deprecated", "deprecated_when",
    "replacement", "deprecation", "removal", "moves_to", "forbidden_value", "forbidden_from", "forbidden_message", "secret",
    "serverless_only", "serverless_only_from", "serverless_only_until", "url",
    "checked_by", "format", "only", "only_message", "open", "free_form", "tag", "union_from", "namespace", "complete_from", "complete_through", "unowned_from", "no_schema_from", "no_schema_until", "confidence", "errors", "context",
    "warning", "warning_when", "backported", "doc", "source",
]


# Plugin namespaces read in dated copies: research file -> (part written, {namespace: complete_from}).
# A research file may hold several namespaces; each is complete from the version given (None:
# open, its unknown keys not judged), or within a (from, through) window when no dated copy of a
# later schema was read (newer releases are then not judged). Keys of releases no copy was read for carry
# added_maybe/removed_maybe, so they warn rather than fail. A research row whose key xpack.toml
# holds (an encryption key, checked_by) keeps xpack.toml's. A namespace listed here replaces its
# rows in core-misc.toml and removed-keys.toml.
PLUGIN_PARTS = {
    # 7.17 read in full, then nine dated copies (xpack-fleet.md §2).
    "xpack-fleet.toml": ("fleet.toml", {"xpack.fleet": "7.17"}),
    # The items of its preconfiguration lists (fleet-preconfig.md): packages, proxies and
    # fleetServerHosts held; outputs and agentPolicies items typed but open.
    "fleet-preconfig.toml": ("fleet.toml", {}),
    # The preconfigured agent policy's keys, each dated by its PR (fleet-agent-policies.md): the
    # item is complete 7.17-9.4 (its row's window); advanced_settings and package_policies[] open.
    "fleet-agent-policies.toml": ("fleet.toml", {}),
    # The preconfigured output's keys, the union of all output types', each dated by its PR
    # (fleet-outputs.md): the item is complete 7.17-8.9, before it became a oneOf by type.
    "fleet-outputs.toml": ("fleet.toml", {}),
    # The items of an agent policy's package_policies (fleet-package-policies.md): one object
    # 7.17-8.13, a union of the legacy and the simplified form from 8.14; complete through 9.4.
    "fleet-package-policies.toml": ("fleet.toml", {}),
    # 7.17 renames twelve paths to xpack.fleet.* and drops the rest; PR #118164 (v8.0.0) deleted
    # that, so from 8.0 every key is core's unknown-key error (plugins-more.md).
    "plugin-ingest-manager.toml": ("fleet.toml", {"xpack.ingestManager": "8.0"}),
    # No 7.17 copy is stored (its key list is reconstructed): complete from 8.3, the first
    # release with full copies read through to the newest (xpack-reporting.md).
    "xpack-reporting.toml": ("reporting.toml", {"xpack.reporting": "8.3"}),
    # Read in full for 8.3/8.4, 8.14, 9.0-9.2, 9.3/9.4 and the newest key list; 7.17 from
    # 7.13-7.15 and the 7.17 Docker allowlist, which names exactly its keys (xpack-security.md §2).
    "xpack-security.toml": ("security.toml", {"xpack.security": "7.17"}),
    # From 8.14 every minor is within two of a copy read in full or a PR-dated change
    # (xpack-security-solution.md); no copy of 7.17 or 8.3-8.13 is stored.
    "xpack-security-solution.toml": ("security-solution.toml", {"xpack.securitySolution": "8.14"}),
    # No schema before 8.11/8.12 (only 7.x's `enabled`); every later copy read (plugin-ml.md).
    "plugin-ml.toml": ("ml.toml", {"xpack.ml": "7.17"}),
    # 8.18/8.19 read in full; in 9.x the root moved to xpack.search (plugin-enterprise-search.md).
    "plugin-enterprise-search.toml": ("enterprise-search.toml", {"enterpriseSearch": "8.18"}),
    # Every era read, 7.17 to the newest (core-ui-telemetry.md). `kibana`: 7.17's core schema,
    # no owner from 8.0 (its row's unowned_from); telemetry's labels/tracing/metrics stay open.
    "core-ui-telemetry.toml": ("ui-telemetry.toml", {
        "uiSettings": "7.17", "map": "7.17", "newsfeed": "7.17", "telemetry": "7.17",
        "kibana": "7.17",
    }),
    # 8.0-8.3 and 9.x read, 7.17 reconstructed from 7.11-7.13 plus PR-dated changes
    # (plugin-monitoring.md); xpack.monitoring is moved to monitoring by its blanket rename, read
    # in every provider copy to an undated 9.x one (plugin-roots-31.md §2.4).
    "plugin-monitoring.toml": ("monitoring.toml", {"monitoring": "7.17", "xpack.monitoring": ("7.17", "9.3")}),
    # Alerting and its neighbours (plugin-alerting.md, plugin-alerting-neighbours.md; windows.md
    # dates the newest copies against the 9.3/9.4/9.5 branch cuts).
    "plugin-task-manager.toml": ("alerting.toml", {"xpack.task_manager": "7.17"}),
    # alerting: 7.17-8.1 reconstructed, 8.3/9.0/9.3 read in full, the build declarations after
    # the 9.4 and 9.5 cuts name every key (windows.md §2).
    "plugin-alerting.toml": ("alerting.toml", {"xpack.alerting": "7.17"}),
    "plugin-event-log.toml": ("alerting.toml", {"xpack.eventLog": "7.17"}),
    "plugin-rule-registry.toml": ("alerting.toml", {"xpack.ruleRegistry": "7.17"}),
    "plugin-stack-alerts.toml": ("alerting.toml", {"xpack.stack_alerts": "7.17"}),
    "plugin-triggers-actions-ui.toml": ("alerting.toml", {"xpack.trigger_actions_ui": "8.2"}),
    # stack_connectors: {enableExperimental} from 8.12 (PR #169922) to a copy after the 9.5 cut.
    "plugin-stack-connectors.toml": ("alerting.toml", {"xpack.stack_connectors": "8.12"}),
    # cases: 8.8 (files; 8.2-8.7 have no copy) through 9.4: the 9.5-cycle copy CA95c is after the
    # 9.4 cut; no copy is tied to the 9.5 branch (plugin-alerting-neighbours.md §4.3, windows.md).
    "plugin-cases.toml": ("alerting.toml", {"xpack.cases": ("8.8", "9.4")}),
    # Observability (plugin-apm.md, plugin-observability.md): apm's newest copy is dated 9.5-dev
    # (second pass, plugin-apm.md §4) and 8.6-8.13 has no copy, so it is complete from 8.14;
    # apm_oss has no owner from 7.16.
    "plugin-apm.toml": ("observability.toml", {"xpack.apm": "8.14"}),
    "plugin-apm-oss.toml": ("observability.toml", {"apm_oss": "7.17"}),
    "plugin-observability.toml": ("observability.toml", {"xpack.observability": "8.14"}),
    "plugin-uptime.toml": ("observability.toml", {"xpack.uptime": "8.8"}),
    # legacy_uptime: one schema since 8.14; LU9 is after the 9.3 cut, nothing after 9.4's (windows.md).
    "plugin-legacy-uptime.toml": ("observability.toml", {"xpack.legacy_uptime": ("8.14", "9.5")}),
    # infra: every era read 7.13 to 9.x; I9/I9b bracket the 9.0 cut only (windows.md), so
    # complete through 9.0.
    "plugin-infra.toml": ("observability.toml", {"xpack.infra": ("7.17", "9.0")}),
    # Windows that end where the plugin begins (plugin-roots-24.md): before it, no owner (core's
    # unknown-key error); the plugin's own releases are not dated.
    "plugin-log-explorer.toml": ("observability.toml", {"xpack.observabilityLogExplorer": ("7.17", "8.10")}),
    # Small plugins (plugins-small.md, second pass; plugins-more.md): data from 8.3 (its 7.14-8.2
    # build output cannot be pinned to a release). cloud: only 9.5, where two declaration dumps
    # bracket the cut (windows.md §2); canvas: 7.17-8.9, `enabled` alone (plugin-roots-24.md C1).
    "plugin-spaces.toml": ("small-plugins.toml", {"xpack.spaces": "7.17"}),
    "plugin-licensing.toml": ("small-plugins.toml", {"xpack.licensing": "7.17"}),
    "plugin-banners.toml": ("small-plugins.toml", {"xpack.banners": "7.17"}),
    "plugin-screenshotting.toml": ("small-plugins.toml", {"xpack.screenshotting": "8.0"}),
    "plugin-console.toml": ("small-plugins.toml", {"console": "7.17"}),
    "plugin-maps.toml": ("small-plugins.toml", {"xpack.maps": "8.0"}),
    "plugin-data.toml": ("small-plugins.toml", {"data": "8.3"}),
    "plugin-cloud.toml": ("small-plugins.toml", {"xpack.cloud": ("9.5", "9.5")}),
    "plugin-canvas.toml": ("small-plugins.toml", {"xpack.canvas": ("7.17", "8.9")}),
    "plugin-graph.toml": ("small-plugins.toml", {"xpack.graph": "7.17"}),
    "plugin-cloud-security-posture.toml": ("small-plugins.toml", {"xpack.cloudSecurityPosture": ("7.17", "8.0")}),
    # Small OSS roots the Docker images list (plugins-oss-small.md): externalUrl and vis_type_vega
    # have one schema from <=7.10 to 9.x; interactiveSetup is read from 8.0; unifiedSearch's
    # schema is read from 8.3, and the kql plugin that took the root keeps it, to a declaration
    # dated after the 9.5 cut (plugin-roots-30.md).
    "plugins-oss-small.toml": ("small-plugins.toml", {
        "externalUrl": "7.17", "interactiveSetup": "8.0", "unifiedSearch": ("8.3", "9.5"),
        "vis_type_vega": "7.17",
        # url_drilldown: no schema from 7.17 (plugin-roots-23.md), to a copy after the 9.4 cut
        # (plugin-roots-26.md). interpreter and tilemap: no owner from 7.17, by their removal PRs
        # (#61263 in 7.8, #28609 in 7.0; plugin-roots-31.md).
        "url_drilldown": ("7.17", "9.4"), "interpreter": ("7.17", "9.5"), "tilemap": ("7.17", "9.5"),
        # regionmap: the 6.x root, gone in 7.0 with tilemap (PR #28609; plugin-roots-36.md).
        "regionmap": ("7.17", "9.5"),
    }),
    # x-pack roots the Docker images still list (xpack-small-roots.md): the Code app's and the
    # legacy event_log prefix have no owner in any 7.17+ copy; data_enhanced's sessions move to
    # data from 8.3; the 7.x enabled switches left in 8.0 (some came back for Serverless only);
    # discoverEnhanced's 9.x copy is not dated past 9.0.
    "xpack-small-roots.toml": ("small-plugins.toml", {
        "xpack.code": "7.17", "xpack.event_log": "7.17", "xpack.data_enhanced": "7.17",
        "xpack.discoverEnhanced": ("7.17", "9.0"), "xpack.grokdebugger": "7.17",
        "xpack.painless_lab": "7.17", "xpack.searchprofiler": "7.17", "xpack.rollup": "7.17",
        "xpack.license_management": "7.17",
    }),
    # Roots Kibana's settings reference lists that the table did not hold (small-roots-2.md): four
    # small core services, and the x-pack UI-switch plugins, whose 9.x copies date only to after
    # the Dec 2024 relocation (so 9.0), for one to after the 9.4 cut; remote_clusters and
    # snapshot_restore, whose every config.ts version was read and whose folders were crawled
    # after the 9.3 cut, to 9.3 (plugin-roots-37.md); ccr, whose folder was crawled after the 9.5
    # cut without a new config.ts, to 9.5 (plugin-roots-27.md).
    "small-roots-2.toml": ("small-plugins.toml", {
        "execution_context": "7.17", "node": "8.4", "deprecation": "7.17",
        "permissionsPolicy": "8.15", "xpack.ccr": ("7.17", "9.5"), "xpack.ilm": ("7.17", "9.0"),
        "xpack.index_management": ("7.17", "9.0"), "xpack.remote_clusters": ("7.17", "9.5"),
        "xpack.snapshot_restore": ("7.17", "9.5"), "xpack.upgrade_assistant": ("7.17", "9.4"),
    }),
    # More roots the settings reference lists (small-roots-3.md): share's one schema from 8.14
    # (nothing owns it in 8.0-8.13), lists and notifications to their newest dated copies,
    # productDocBase only for 9.4, profiling 8.15-9.0; Automatic Import's two roots and
    # product_intercept up to their plugins' first releases (integration_assistant's four copies
    # agree, but no copy brackets 8.14-8.17: plugin-roots-24.md C3-C5).
    "small-roots-3.toml": ("small-plugins.toml", {
        "share": ("7.17", "9.5"), "xpack.lists": ("7.17", "9.2"), "notifications": ("7.17", "9.5"),
        "xpack.productDocBase": ("9.4", "9.4"), "xpack.integration_assistant": ("7.17", "8.13"),
        "xpack.automatic_import": ("7.17", "8.17"), "xpack.product_intercept": ("7.17", "8.18"),
        "xpack.profiling": ("8.15", "9.0"),
    }),
    # Bundled plugins' roots, one batch per research file (plugin-roots-NN.md): most plugins export
    # no config schema (no_schema_from), a few a small one; each namespace row carries its own
    # window, bracketed by dated copies (plugin_roots() below).
    **{f.name: ("plugin-roots.toml", "rows")
       for f in sorted(RESEARCH.glob("plugin-roots-[0-9][0-9].toml"))},
    # Serverless plugins ship in the self-managed distributable and core validates their schemas
    # though they are disabled (plugin-serverless.md): xpack.serverless.plugin is read from 8.9
    # to a copy after the 9.3 cut; serverless.security lost its owner in 8.10 and the chat group is
    # stripped from release builds, so both are core's unknown-key error; the others only up to
    # their plugins' first releases (plugin-roots-24.md C8-C10).
    "plugin-serverless.toml": ("serverless.toml", {
        "xpack.serverless.plugin": ("8.9", "9.5"),
        "xpack.serverless.observability": ("7.17", "8.17"), "xpack.serverless.search": ("7.17", "8.17"),
        "xpack.serverless.security": "8.10", "xpack.securitySolutionServerless": ("7.17", "8.9"),
        "xpack.serverless.chat": "7.17", "xpack.serverless.vectordb": ("7.17", "9.1"),
        "xpack.serverless.workplaceAI": ("7.17", "9.1"),
    }),
}


def load(name):
    return tomllib.loads((RESEARCH / name).read_text()).get("setting", [])


def version(v):
    """'7.x' (some 7.x release) is only certain from the last one; '8.8?' is a guess."""
    v = str(v).strip().rstrip("?")
    return "7.17" if v == "7.x" else v


def namespace_of(key):
    parts = key.replace("[]", "").split(".")
    return ".".join(parts[:2]) if parts[0] == "xpack" and len(parts) > 1 else parts[0]


def parent_of(key):
    if key.endswith("[]"):
        return key[:-2]
    head, _, _ = key.rpartition(".")
    return head[:-2] if head.endswith(".*") else head


def emit(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(emit(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {emit(v)}" for k, v in value.items()) + " }"
    return json.dumps(str(value), ensure_ascii=False)


def write(name, header, rows):
    lines = [header.rstrip(), ""]
    for row in rows:
        lines.append("[[setting]]")
        for field in SPEC_FIELDS:
            if field in row:
                lines.append(f"{field} = {emit(row[field])}")
        lines.append("")
    (OUT / name).write_text("\n".join(lines))


def existing_keys():
    keys = set()
    for part in ["xpack.toml"]:
        keys |= {r["key"] for r in tomllib.loads((OUT / part).read_text())["setting"]}
    return keys


def clean_defaults(row):
    """Defaults that are not fixed JSON values (computed ones) are dropped, with a note."""
    if "default" in row:
        try:
            json.loads(row["default"])
        except ValueError:
            row["doc"] = f"{row['doc']} Default: {row.pop('default')}."
    if "defaults" in row:
        kept = {}
        for v, d in row["defaults"].items():
            try:
                json.loads(d)
                kept[version(v)] = d
            except ValueError:
                row["doc"] = f"{row['doc']} From {v}: default {d}."
        row["defaults"] = kept
        if not kept:
            del row["defaults"]


def core_rows(rows, complete):
    out = []
    for r in rows:
        r = dict(r)
        for f in ("added", "added_maybe", "removed", "removed_maybe", "readded", "readded_maybe",
                  "deprecated", "unowned_from", "no_schema_from", "no_schema_until"):
            if f in r:
                r[f] = version(r[f])
        clean_defaults(r)
        if r.get("namespace"):
            if r["key"] in complete:
                window = complete[r["key"]]
                r.pop("open", None)
                if isinstance(window, tuple):
                    r["complete_from"], r["complete_through"] = window
                else:
                    r["complete_from"] = window
            elif "complete_from" not in r:
                r["open"] = True
        if r["key"] == "server.cors":
            r["boolean_shorthand"] = "enabled"
        out.append(r)
    return out


def plugin_roots():
    """PLUGIN_PARTS entries whose namespaces keep the windows their rows state: every namespace
    row of the research file, complete within its own complete_from/complete_through. A batch not
    written yet is left out."""
    for research, (part, nss) in list(PLUGIN_PARTS.items()):
        if nss != "rows":
            continue
        if not (RESEARCH / research).exists():
            del PLUGIN_PARTS[research]
            continue
        PLUGIN_PARTS[research] = (part, {
            r["key"]: "rows" for r in load(research) if r.get("namespace")
        })


def main():
    plugin_roots()
    known = existing_keys()
    server_es = core_rows(load("core-server-es.toml"), {"server": "7.17", "elasticsearch": "7.17"})
    # logging: the 8.0+ schema (appenders, loggers, root, browser) was read in every era from
    # 8.0 on (core-misc.md §1); 7.17's own file was not, so 7.x stays open. Inside an appender
    # the keys are not judged (`open`: Kibana validates a union of appender types).
    misc = core_rows(load("core-misc.toml"), {"logging": "8.0"})
    # Plugin namespaces read in dated copies; keys of unread windows carry added_maybe /
    # removed_maybe, so they warn rather than fail. xpack.fleet: 7.17 read in full
    # (xpack-fleet.md §2). xpack.reporting: no 7.17 copy is stored (its key list is
    # reconstructed), so it is complete only from 8.3, the first release with full copies read
    # through to the newest (xpack-reporting.md).
    owned = {ns: research for research, (_, nss) in PLUGIN_PARTS.items() for ns in nss}
    # Namespaces a plugin part holds leave core-misc.toml (its first, partial reading).
    misc = [r for r in misc if namespace_of(r["key"]) not in owned]
    by_file = {}
    for research, (_, nss) in PLUGIN_PARTS.items():
        # Rows of other namespaces the file holds (an open neighbour) come along as they are.
        rows = core_rows(load(research), {
            ns: c for ns, c in nss.items() if c not in (None, "rows")
        })
        for r in rows:
            if r.get("namespace") and nss.get(r["key"], "") is None:
                r.pop("complete_from", None)
                r["open"] = True
            # offeringBasedSchema({ serverless }) without a traditional branch: never() on
            # self-managed.
            if r.get("context", "").startswith("serverless only"):
                r["serverless_only"] = True
        by_file[research] = [r for r in rows if r["key"] not in known]
    # The audit log's appender is core's appender union itself (`schema.maybe(coreConfig.logging.
    # appenders)`, logging-appenders.md §5): its rows are the logging ones, copied.
    audit = "xpack.security.audit.appender"
    union = [r for r in misc if r["key"] == "logging.appenders.*" or r["key"].startswith("logging.appenders.*#")]
    copies = [{**r, "key": audit + r["key"][len("logging.appenders.*"):]} for r in union]
    copies[0]["doc"] = (
        "schema.maybe(coreConfig.logging.appenders): core's appender union of the same release "
        "(rows copied from the logging ones by scripts/settings-table.py): 7.17 with legacy-appender, "
        "8.0-9.4 console, file, rewrite, rolling-file, 9.5 maybe otel. Inside the audit object the "
        "branch lines keep their whole path: '[config validation of [xpack.security].audit.appender.1.layout]: "
        "expected at least one defined value but got [undefined]' (security config.test.ts). Absent: "
        "Kibana's runtime default rolling-file appender (audit.log, json, 24h) when audit is enabled."
    )
    copies[0]["source"] = "logging-appenders.md [SC8] [SC9] [ST] [CX]; " + copies[0]["source"]
    security = by_file["xpack-security.toml"]
    at = next(i for i, r in enumerate(security) if r["key"] == audit)
    security[at:at + 1] = copies
    output_branches(by_file)
    plugin_parts = [r for rows in by_file.values() for r in rows]
    core_keys = {r["key"] for r in server_es + misc + plugin_parts}
    complete = {
        r["key"] for r in server_es + misc + plugin_parts
        if r.get("namespace") and not r.get("open")
    }

    by_key = {r["key"]: r for r in server_es + misc + plugin_parts}
    plugins = []
    for r in load("removed-keys.toml"):
        key = r["key"]
        if key in known:
            continue
        ns = namespace_of(key)
        row = {"key": key, "type": r["type"]}
        for f in ("deprecation", "removal", "replacement"):
            if f in r:
                row[f] = r[f]
        if ("deprecated" in r or "deprecated_maybe" in r) and "readded" not in r:
            row["deprecated"] = version(r.get("deprecated", r.get("deprecated_maybe")))
        sure = r["evidence"] in ("established", "mixed") and "readded" not in r
        if "removed" in r:
            row["removed" if sure or ns in complete else "removed_maybe"] = version(r["removed"])
        if "removed_maybe" in r:
            row["removed_maybe"] = version(r["removed_maybe"])
        row["confidence"] = {"established": "E", "mixed": "E+I", "inferred": "I"}[r["evidence"]]
        notes = [r["doc"]]
        if "removal_newer" in r:
            notes.append(
                f"From {r.get('removal_newer_since', 'a later release')} Kibana says: {r['removal_newer']}"
            )
        if "readded" in r:
            notes.append(f"Accepted again from {r['readded']} (not verified for every build).")
        if "note" in r:
            notes.append(r["note"])
        row["doc"] = " ".join(notes)
        row["source"] = r["source"]
        if key == "elasticsearch.username":
            # Not removed: the value "elastic" is refused (PR #122722, 8.0.0-rc2).
            merged = dict(by_key[key])
            merged["forbidden_value"] = "elastic"
            merged["forbidden_from"] = "8.0"
            merged["forbidden_message"] = r["removal"]
            merged["deprecated"] = "7.16"
            merged["deprecation"] = r["deprecation"]
            merged["source"] = f"{merged['source']}; {r['source']}"
            by_key[key].clear()
            by_key[key].update(merged)
            # deprecated only for the value "elastic": no generic deprecation.
            by_key[key].pop("deprecated")
            by_key[key].pop("deprecation")
            continue
        if key in core_keys:
            continue
        if ns in complete:
            # A key of a complete namespace the schema no longer has: certain.
            target = (
                server_es if ns in ("server", "elasticsearch")
                else by_file[owned[ns]] if ns in owned
                else misc
            )
            target.append(row)
            continue
        accepted = "removed" not in row
        if accepted and row["type"] not in ("object",):
            row["type"] = "any"
        if namespace_of(key) == key:
            row["namespace"] = True
        plugins.append(row)

    # A plugin row's namespace must be walked: a core row of that name becomes its (open) root.
    for r in plugins:
        root = by_key.get(namespace_of(r["key"]))
        if root is not None and not root.get("namespace"):
            root["namespace"] = True
            root["open"] = True
    # Namespace and intermediate rows the plugin part needs; objects with listed children.
    have = known | core_keys | {r["key"] for r in plugins}
    children = {parent_of(r["key"]) for r in plugins}
    for r in plugins:
        if r["key"] in children and r["type"] != "object":
            r["type"] = "object"
            r["open"] = True
    extra = []
    for r in plugins + server_es + misc + plugin_parts:
        # A namespace below a root (`xpack.serverless.plugin`) needs no row for the root: Kibana
        # validates each configPath on its own, and `xpack.serverless` itself is no namespace.
        if r.get("namespace"):
            continue
        p = parent_of(r["key"])
        # `xpack` itself is no setting: its children are the namespaces.
        while p and p != "xpack" and p not in have:
            ns = namespace_of(p) == p
            extra.append({
                "key": p,
                "type": "object",
                "open": True,
                **({"namespace": True} if ns else {}),
                "doc": "Only the keys listed are modelled: others are not judged.",
                "source": "grouping row (scripts/settings-table.py)",
            })
            have.add(p)
            p = parent_of(p)
    plugins = sorted(extra, key=lambda r: r["key"]) + plugins

    head = "# {what}. Generated by scripts/settings-table.py from docs/research/settings/{src};\n# fields: README.md beside this file. Edit the research file and regenerate.\n"
    write("server.toml", head.format(what="Core `server.*` (http, ssl, security headers)", src="core-server-es.toml"),
          [r for r in server_es if r["key"].split(".")[0] == "server"])
    write("elasticsearch.toml", head.format(what="Core `elasticsearch.*`", src="core-server-es.toml"),
          [r for r in server_es if r["key"].split(".")[0] == "elasticsearch"])
    write("core.toml", head.format(what="Other core namespaces (logging, path, pid, ops, status, i18n, csp, savedObjects, migrations, …)", src="core-misc.toml"), misc)
    written = {}
    for research, (part, nss) in PLUGIN_PARTS.items():
        what, srcs, rows = written.setdefault(part, ([], [], []))
        what += [f"`{ns}.*`" for ns in nss]
        srcs.append(research)
        rows += by_file[research]
    for part, (what, srcs, rows) in written.items():
        # A part of many roots names them by count: its research files list them.
        what_text = (f"namespaces of {len(what)} config roots'" if len(what) > 12 else ', '.join(what) + " namespace(s)'")
        head_part = (
            f"# The {what_text[:-1]}. Generated by scripts/settings-table.py from\n"
            f"# docs/research/settings/{{{', '.join(srcs)}}};\n"
            "# fields: README.md beside this file. Edit the research files and regenerate.\n"
        ) if len(srcs) > 1 else head.format(what=f"The {what[0]} plugin namespace", src=srcs[0])
        write(part, head_part, rows)
    write("plugins.toml", head.format(what="Removed, renamed and deprecated keys of plugins the table does not hold completely", src="removed-keys.toml"), plugins)


def output_branches(by_file):
    """Fleet's preconfigured output is a oneOf by `type` from 8.10 (fleet-output-types.toml):
    the item row becomes a tagged `one_of`, and each branch gets copies of the flat rows of the
    keys it takes, in its own order."""
    spec = tomllib.loads((RESEARCH / "fleet-output-types.toml").read_text())
    union = spec["union"]["key"]
    rows = [r for name in ("xpack-fleet.toml", "fleet-preconfig.toml", "fleet-outputs.toml") for r in by_file[name]]
    item = next(r for r in rows if r["key"] == union)
    item.update(type="one_of", tag=spec["union"]["tag"], union_from=spec["union"]["union_from"],
                doc=spec["union"]["doc"], source=spec["union"]["source"])
    flat = [r for r in rows if r["key"].startswith(union + ".")]
    copies = []
    for b in spec["branch"]:
        base = f"{union}#{b['literal']}"
        head = {"key": base, "type": "object"}
        for f in ("added", "complete_from", "complete_through", "doc", "source"):
            if f in b:
                head[f] = b[f]
        copies.append(head)
        drop = b.get("drop", [])
        if len(set(b["keys"])) != len(b["keys"]):
            raise SystemExit(f"fleet-output-types.toml: {b['literal']}: a key listed twice")
        for name in b["keys"]:
            if name == "type":
                copies.append({
                    "key": f"{base}.type", "type": "enum", "required": True, "values": [b["literal"]],
                    "doc": f"The branch's literal: schema.literal('{b['literal']}'). A value naming another type fails this branch with 'expected value to equal [{b['literal']}]'.",
                    "source": b["source"],
                })
                continue
            below = [
                r for r in flat
                if (rel := r["key"][len(union) + 1:]) == name
                or rel.startswith(name + ".") or rel.startswith(name + "[]")
            ]
            if not below:
                raise SystemExit(f"fleet-output-types.toml: {b['literal']}: no row {union}.{name}")
            for r in below:
                rel = r["key"][len(union) + 1:]
                if any(rel == d or rel.startswith(d + ".") for d in drop):
                    continue
                row = {**r, "key": f"{base}.{rel}"}
                change = b.get("rows", {}).get(rel, {})
                if "added" in change or "added_maybe" in change:
                    row.pop("added", None)
                    row.pop("added_maybe", None)
                for f, v in change.items():
                    if v is False:
                        row.pop(f, None)
                    else:
                        row[f] = v
                copies.append(row)
        # A `[branch.rows]` entry naming no copied row is a typo that would silently not apply.
        copied = {c["key"][len(base) + 1:] for c in copies if c["key"].startswith(base + ".")}
        stray = sorted(set(b.get("rows", {})) - copied)
        if stray:
            raise SystemExit(f"fleet-output-types.toml: {b['literal']}: rows for keys the branch does not copy: {stray}")
    by_file["fleet-outputs.toml"] += copies


def first_segments(path):
    """A config root: `xpack.<name>` or the first segment."""
    parts = path.replace("[]", "").split(".")
    return ".".join(parts[:2]) if parts[0] == "xpack" and len(parts) > 1 else parts[0]


def roots():
    """rules/data/config-roots.toml: every root some release from 7.17 on knows, as a superset.
    From the roots research (core services' config paths, every bundled plugin's configPath,
    roots only deprecations accept), plus every root the settings table, the removed-keys research
    and the Docker images' setting lists name, so the list can only grow."""
    found = {}

    def add(path, kind, source):
        found.setdefault(path, (kind, source))

    for name in ["roots-core-oss.toml", "roots-xpack.toml", "roots-deprecated.toml"]:
        for r in tomllib.loads((RESEARCH / name).read_text())["root"]:
            add(first_segments(r["path"]), r["kind"], f"{r.get('source', '')} ({name})".strip())
    for part in sorted(OUT.glob("*.toml")):
        for r in tomllib.loads(part.read_text())["setting"]:
            add(first_segments(r["key"]), "table", f"rules/data/settings/{part.name}")
    for r in load("removed-keys.toml"):
        add(first_segments(r["key"]), "removed-key", "docs/research/settings/removed-keys.toml")
    for txt in sorted((ROOT / "rules/data/kibana-docker").glob("*.txt")):
        for line in txt.read_text().splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                add(first_segments(line), "docker", f"rules/data/kibana-docker/{txt.name}")
    lines = [
        "# Every config root Kibana 7.17 to the newest covered release knows, as one superset:",
        "# core services' config paths, bundled plugins' configPath, roots only deprecations accept,",
        "# and every root the settings table, removed-keys research and Docker lists name.",
        "# Generated by scripts/settings-table.py from docs/research/settings/roots-*.toml; do not edit.",
        "",
    ]
    for path in sorted(found, key=str.lower):
        kind, source = found[path]
        lines += ["[[root]]", f"path = {emit(path)}", f"kind = {emit(kind)}", f"source = {emit(source)}", ""]
    (ROOT / "rules/data/config-roots.toml").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
    roots()
