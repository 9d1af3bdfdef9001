/**
 * `trainguard verify` as SARIF 2.1.0 (OASIS), in the subset GitHub code scanning reads, like the
 * scan report: one run, one rule per finding kind used, one location per result (the model file,
 * or the signature file for findings about the signature), line 1, and a stable fingerprint.
 */
import { createHash } from "node:crypto";
import { isAbsolute, join, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { FindingKind, VerifyFinding, VerifyReport } from "../types.js";

export interface VerifySarifTool {
  readonly name: string;
  readonly version: string;
  readonly informationUri: string;
}

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

const RULES: Readonly<Record<FindingKind, { readonly text: string; readonly score: string }>> = {
  modified: { text: "A signed file's content differs from its signature", score: "8.0" },
  missing: { text: "A signed file is missing from the model", score: "8.0" },
  unexpected: { text: "The model holds a file the signature does not cover", score: "8.0" },
  symlink: { text: "The model holds a symbolic link, refused by policy", score: "5.5" },
  "ignore-path": {
    text: "The signer left a path out of the signature, refused by policy",
    score: "5.5",
  },
  signature: { text: "The signature is not valid for the given key or certificates", score: "9.5" },
  identity: { text: "The signer is not the pinned key or identity", score: "9.5" },
};

const ruleId = (kind: FindingKind) => `integrity/${kind}`;

function artifact(path: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(path)) return { uri: pathToFileURL(path).href };
  const segments = path
    .split(sep)
    .join("/")
    .split("/")
    .filter((s) => s !== "" && s !== ".");
  return { uri: segments.map(encodeURIComponent).join("/") || ".", uriBaseId: "%SRCROOT%" };
}

function locationOf(report: VerifyReport, finding: VerifyFinding): string {
  if (finding.path === "") return report.signature || report.path;
  return finding.path === "." ? report.path : join(report.path, finding.path);
}

export function toVerifySarif(
  report: VerifyReport,
  tool: VerifySarifTool,
  srcRoot?: string,
): string {
  const kinds = [...new Set(report.findings.map((f) => f.kind))].sort();
  const rules = kinds.map((kind) => ({
    id: ruleId(kind),
    name: kind.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: RULES[kind].text },
    fullDescription: { text: `${RULES[kind].text}.` },
    help: {
      text: `${RULES[kind].text}. See docs/signing.md, "Findings".`,
      markdown: `${RULES[kind].text}. See \`docs/signing.md\`, "Findings".`,
    },
    defaultConfiguration: { level: "error" },
    properties: { tags: ["security", "integrity"], "security-severity": RULES[kind].score },
  }));
  const results = report.findings.map((finding) => {
    const location = artifact(locationOf(report, finding));
    const hash = createHash("sha256")
      .update(JSON.stringify([ruleId(finding.kind), location.uri, finding.detail]))
      .digest("hex");
    return {
      ruleId: ruleId(finding.kind),
      ruleIndex: kinds.indexOf(finding.kind),
      level: "error",
      message: { text: `${finding.path === "" ? "Signature" : finding.path}: ${finding.detail}` },
      locations: [{ physicalLocation: { artifactLocation: location, region: { startLine: 1 } } }],
      partialFingerprints: { primaryLocationLineHash: hash, "trainguard/v1": hash },
      properties: { kind: finding.kind, path: finding.path },
    };
  });
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: tool.name,
        informationUri: tool.informationUri,
        version: tool.version,
        rules,
      },
    },
  };
  if (srcRoot !== undefined) {
    const uri = pathToFileURL(srcRoot.endsWith(sep) ? srcRoot : `${srcRoot}${sep}`).href;
    run.originalUriBaseIds = { "%SRCROOT%": { uri } };
  }
  run.results = results;
  run.properties = { verified: report.verified, signature: report.signature, path: report.path };
  return JSON.stringify({ $schema: SCHEMA, version: "2.1.0", runs: [run] }, null, 2);
}
