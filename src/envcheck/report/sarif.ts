/**
 * SARIF 2.1.0 output for `env verify`, in the subset GitHub code scanning reads (one run, a
 * rule per finding kind, one location with `region.startLine`, `partialFingerprints`), like the
 * scanner's (`src/scan/report/sarif.ts`). Locations are relative to the checked PATH, recorded as
 * `%SRCROOT%`.
 */
import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import { sarifLevel, securitySeverity, TOOL_INFO, type ToolInfo } from "../../scan/report/index.js";
import type { EnvFinding, EnvReport, FindingKind, Severity } from "../types.js";

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT = "%SRCROOT%";

const DESCRIPTIONS: Record<FindingKind, string> = {
  modified: "A file differs from its package's install record",
  missing: "A file its package's install record lists is gone",
  unexpected: "A file no package record lists, inside a package directory or the site directory",
  "startup-hook": "Code that runs at every interpreter start (.pth import line, sitecustomize)",
  "bytecode-mismatch": "A compiled cache whose code differs from its source",
  "orphan-bytecode": "A compiled cache without its source, which Python may still import",
  "unreadable-bytecode": "A compiled cache that could not be checked",
  unverified: "A recorded file whose content the record does not let us check",
};

function ruleId(kind: FindingKind): string {
  return `env/${kind}`;
}

function uriOf(path: string): string {
  return (
    path
      .split("/")
      .map((segment) => encodeURIComponent(segment))
      .join("/") || "."
  );
}

function fingerprint(finding: EnvFinding): string {
  return createHash("sha256")
    .update(`${ruleId(finding.kind)}\0${finding.path}\0${finding.source}`)
    .digest("hex")
    .slice(0, 32);
}

function rule(kind: FindingKind, tool: ToolInfo): object {
  const id = ruleId(kind);
  const helpUri = `${tool.informationUri}/blob/main/docs/env.md`;
  const worst: Severity =
    kind === "missing" || kind === "unverified" || kind === "unreadable-bytecode"
      ? "medium"
      : "critical";
  const properties: Record<string, unknown> = { tags: ["security", "env"] };
  const score = securitySeverity(worst);
  if (score !== undefined) properties["security-severity"] = score;
  return {
    id,
    name: kind
      .split("-")
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join(""),
    shortDescription: { text: DESCRIPTIONS[kind] },
    fullDescription: { text: `${DESCRIPTIONS[kind]}.` },
    helpUri,
    help: { text: `${DESCRIPTIONS[kind]}. See ${helpUri}` },
    defaultConfiguration: { level: sarifLevel(worst) },
    properties,
  };
}

export function envReportToSarif(report: EnvReport, tool: ToolInfo = TOOL_INFO): string {
  const kinds = [...new Set(report.findings.map((finding) => finding.kind))].sort();
  const index = new Map(kinds.map((kind, i) => [kind, i]));
  const base = pathToFileURL(report.root).href;
  const results = report.findings.map((finding) => {
    const hash = fingerprint(finding);
    const properties: Record<string, unknown> = {
      kind: finding.kind,
      package: finding.package,
      severity: finding.severity,
      source: finding.source,
    };
    if (finding.expected === true) properties.expected = true;
    return {
      ruleId: ruleId(finding.kind),
      ruleIndex: index.get(finding.kind) ?? 0,
      level: sarifLevel(finding.severity),
      message: { text: `${DESCRIPTIONS[finding.kind]}: ${finding.detail}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: uriOf(finding.path), uriBaseId: SRCROOT },
            region: { startLine: 1 },
          },
        },
      ],
      partialFingerprints: { primaryLocationLineHash: hash, "trainguard/v1": hash },
      properties,
    };
  });
  const run = {
    tool: {
      driver: {
        name: tool.name,
        informationUri: tool.informationUri,
        version: tool.version,
        rules: kinds.map((kind) => rule(kind, tool)),
      },
    },
    originalUriBaseIds: { [SRCROOT]: { uri: base.endsWith("/") ? base : `${base}/` } },
    results,
  };
  return JSON.stringify({ $schema: SARIF_SCHEMA, version: "2.1.0", runs: [run] }, null, 2);
}
