/**
 * SARIF 2.1.0 output (OASIS, https://docs.oasis-open.org/sarif/sarif/v2.1.0/) in the subset GitHub
 * code scanning reads ("SARIF support for code scanning", GitHub Docs): one run, one
 * reportingDescriptor per rule used, and for every result a message, exactly one location with a
 * `region.startLine`, and `partialFingerprints`.
 */
import { RULES, type RuleId } from "../rules.js";
import type { FileResult, Finding, ScanReport, Severity } from "../types.js";
import { RULE_DESCRIPTIONS } from "./rule-descriptions.js";
import { artifactLocation, directoryUri, fingerprint, SRCROOT } from "./sarif-location.js";
import { ruleHelpUri, TOOL_INFO, type ToolInfo } from "./tool-info.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const SARIF_VERSION = "2.1.0";

/** The rule reported for a file that could not be checked and has no finding saying why. */
export const UNSCANNABLE_RULE = "scan/unscannable";

/** Our own fingerprint key, kept for SARIF consumers other than GitHub. */
export const FINGERPRINT_KEY = "trainguard/v1";

export type SarifLevel = "error" | "warning" | "note";

const LEVELS: Record<Severity, SarifLevel> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "warning",
  info: "note",
};

/**
 * GitHub's `security-severity` score (0.1–10.0): above 9.0 is shown as critical, 7.0–8.9 high,
 * 4.0–6.9 medium, 0.1–3.9 low. Info has no security severity.
 */
const SECURITY_SEVERITY: Record<Severity, string | undefined> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: undefined,
};

const SEVERITY_RANK: Record<Severity, number> = {
  info: 0,
  low: 1,
  medium: 2,
  high: 3,
  critical: 4,
};

export interface SarifOptions {
  readonly tool?: ToolInfo;
  /** Directory that relative paths are relative to; recorded as `originalUriBaseIds`. */
  readonly srcRoot?: string;
}

export function sarifLevel(severity: Severity): SarifLevel {
  return LEVELS[severity];
}

/** GitHub's `security-severity` property for a severity; undefined for info. */
export function securitySeverity(severity: Severity): string | undefined {
  return SECURITY_SEVERITY[severity];
}

function isKnownRule(rule: string): rule is RuleId {
  return Object.hasOwn(RULES, rule);
}

/** `pickle/dangerous-global` → `PickleDangerousGlobal`, the PascalCase name SARIF recommends. */
function ruleName(rule: string): string {
  return rule
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== "")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

/** A result to report: the file, the finding, and the rule it falls under. */
interface Entry {
  readonly file: FileResult;
  readonly finding: Finding;
}

function entriesOf(report: ScanReport): Entry[] {
  const entries: Entry[] = [];
  for (const file of report.files) {
    for (const finding of file.findings) entries.push({ file, finding });
    if (file.verdict === "unscannable" && file.findings.length === 0) {
      entries.push({
        file,
        finding: {
          rule: UNSCANNABLE_RULE,
          severity: "high",
          message: `Cannot check ${file.path} completely: the scanner gave no reason`,
          location: {},
          verdict: "unscannable",
        },
      });
    }
  }
  return entries;
}

function reportingDescriptor(rule: string, severity: Severity, tool: ToolInfo): object {
  const helpUri = ruleHelpUri(rule, tool);
  const short = isKnownRule(rule) ? RULE_DESCRIPTIONS[rule] : `trainguard rule ${rule}`;
  const verdict = isKnownRule(rule) ? RULES[rule].verdict : undefined;
  const full =
    verdict === undefined
      ? `${short}.`
      : `${short}. Pushes the file's verdict to at least ${verdict}.`;
  const score = securitySeverity(severity);
  const properties: Record<string, unknown> = {
    tags: ["security", rule.split("/")[0] ?? rule],
  };
  if (score !== undefined) properties["security-severity"] = score;
  return {
    id: rule,
    name: ruleName(rule),
    shortDescription: { text: short },
    fullDescription: { text: full },
    helpUri,
    help: { text: `${full} See ${helpUri}`, markdown: `${full} [Read more](${helpUri}).` },
    defaultConfiguration: { level: sarifLevel(severity) },
    properties,
  };
}

/**
 * The rules used, sorted by id, each with its documented default severity; a rule missing from
 * the catalogue gets the worst severity it was reported with.
 */
function rulesOf(entries: readonly Entry[]): Map<string, Severity> {
  const seen = new Map<string, Severity>();
  for (const { finding } of entries) {
    const { rule } = finding;
    if (isKnownRule(rule)) {
      seen.set(rule, RULES[rule].severity);
      continue;
    }
    const previous = seen.get(rule);
    if (previous === undefined || SEVERITY_RANK[finding.severity] > SEVERITY_RANK[previous]) {
      seen.set(rule, finding.severity);
    }
  }
  return new Map([...seen].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function resultMessage(finding: Finding): string {
  const { member, offset } = finding.location;
  if (member === undefined) return finding.message;
  const where = offset === undefined ? `member ${member}` : `member ${member} at byte ${offset}`;
  return `${finding.message} (${where})`;
}

function result(entry: Entry, ruleIndex: number): object {
  const { file, finding } = entry;
  const artifact = artifactLocation(file.path);
  const { member, offset, stream } = finding.location;
  // GitHub requires `region.startLine` to show a result; a model file has no lines, so every
  // result is anchored on line 1. The byte offset is exact only for the file itself: an offset
  // inside an archive member is not an offset in the file, so it goes in `properties` instead.
  const region: Record<string, number> = { startLine: 1 };
  if (offset !== undefined && member === undefined) {
    region.byteOffset = offset;
    region.byteLength = 1;
  }
  const location: Record<string, unknown> = {
    physicalLocation: { artifactLocation: artifact, region },
  };
  if (member !== undefined) {
    location.logicalLocations = [{ fullyQualifiedName: member, kind: "member" }];
  }
  const hash = fingerprint(finding.rule, artifact.uri, finding);
  const properties: Record<string, unknown> = {
    severity: finding.severity,
    verdict: finding.verdict,
    fileVerdict: file.verdict,
    format: file.format,
  };
  if (member !== undefined) properties.member = member;
  if (offset !== undefined) properties.offset = offset;
  if (stream !== undefined) properties.stream = stream;
  if (finding.reference !== undefined) properties.reference = finding.reference;
  return {
    ruleId: finding.rule,
    ruleIndex,
    level: sarifLevel(finding.severity),
    message: { text: resultMessage(finding) },
    locations: [location],
    // GitHub matches alerts on `primaryLocationLineHash` only; we supply our own so that results
    // in the same file (all on line 1) stay distinct and do not depend on the file's bytes.
    partialFingerprints: { primaryLocationLineHash: hash, [FINGERPRINT_KEY]: hash },
    properties,
  };
}

/** The report as a SARIF 2.1.0 log (2-space indent, no trailing newline). */
export function toSarif(report: ScanReport, options: SarifOptions = {}): string {
  const tool = options.tool ?? TOOL_INFO;
  const entries = entriesOf(report);
  const rules = rulesOf(entries);
  const ruleIndex = new Map([...rules.keys()].map((rule, index) => [rule, index]));
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: tool.name,
        informationUri: tool.informationUri,
        version: tool.version,
        rules: [...rules].map(([rule, severity]) => reportingDescriptor(rule, severity, tool)),
      },
    },
  };
  if (options.srcRoot !== undefined) {
    run.originalUriBaseIds = { [SRCROOT]: { uri: directoryUri(options.srcRoot) } };
  }
  run.results = entries.map((entry) => result(entry, ruleIndex.get(entry.finding.rule) ?? 0));
  return JSON.stringify({ $schema: SARIF_SCHEMA, version: SARIF_VERSION, runs: [run] }, null, 2);
}
