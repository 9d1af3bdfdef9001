/**
 * The events the checking commands record with `--server`: one per file checked (scan, verify),
 * and for `env` one per finding plus one for the environment. Field names are OCSF's (see
 * docs/server.md); class 2004 is OCSF "Detection Finding".
 */
import { basename, resolve } from "node:path";
import { hashFilesSettled } from "../crypto/hashing/index.js";
import type { EnvReport } from "../envcheck/index.js";
import type { EventInput } from "../events/index.js";
import type { VerifyReport } from "../integrity/index.js";
import type { FileResult, ScanReport, Verdict } from "../scan/index.js";
import type { RecordTarget } from "./record-results.js";

const DETECTION_FINDING = 2004;
const MAX_TEXT = 4096;

/** OCSF severity_id: 1 informational, 3 medium, 4 high, 5 critical. */
const VERDICT_SEVERITY: Record<Verdict, number> = {
  clean: 1,
  suspicious: 3,
  unscannable: 4,
  dangerous: 5,
};

/** Event text fields are bounded by the schema (4,096 characters). */
export const eventText = (value: string) =>
  value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT - 1)}…` : value;

/** What every recorded event shares: its OCSF class, when it was seen, and the run it belongs to. */
export function eventBase(target: RecordTarget) {
  return {
    class_uid: DETECTION_FINDING,
    observed_time: Date.now(),
    correlation_uid: target.correlationUid,
  };
}

/** The event for one scanned file (`scan.file`, `watch.scan`): its verdict and its digest. */
export function scanResultEvent(
  activity: string,
  file: FileResult,
  uid: string,
  sha256: string | undefined,
  target: RecordTarget,
): EventInput {
  const rules = [...new Set(file.findings.map((f) => f.rule))].join(",");
  return {
    ...eventBase(target),
    activity,
    severity_id: VERDICT_SEVERITY[file.verdict],
    resources: [
      {
        type: "file",
        uid,
        name: eventText(file.path),
        ...(sha256 === undefined ? {} : { hashes: [{ algorithm: "sha256", value: sha256 }] }),
      },
    ],
    outcome: {
      status: file.verdict === "clean" ? "success" : "failure",
      code: file.verdict,
      message: eventText(file.findings[0]?.message ?? "every behaviour is on the allowlist"),
    },
    details: {
      verdict: file.verdict,
      format: eventText(file.format),
      findings: file.findings.length,
      rules: eventText(rules),
    },
  };
}

/** One event per scanned file, with the file's SHA-256 where it could be read. */
export async function scanEvents(
  report: ScanReport,
  cwd: string,
  target: RecordTarget,
): Promise<EventInput[]> {
  const readable = report.files.filter((file) => file.format !== "none");
  const digests = await hashFilesSettled(
    readable.map((file) => ({ path: resolve(cwd, file.path) })),
    { algorithm: "sha256" },
  );
  const byPath = new Map<string, string>();
  readable.forEach((file, i) => {
    const digest = digests[i];
    if (digest !== undefined && !(digest instanceof Error)) {
      byPath.set(file.path, Buffer.from(digest.digest).toString("hex"));
    }
  });
  return report.files.map((file) =>
    scanResultEvent("scan.file", file, resolve(cwd, file.path), byPath.get(file.path), target),
  );
}

/** The file a shards resource (`path:start:end`) belongs to. */
function resourceFile(name: string, serialization: string): string {
  return serialization === "shards" ? name.replace(/:\d+:\d+$/, "") : name;
}

/** One event per signed file (and per file a finding names), with the signed digest. */
export function verifyEvents(
  report: VerifyReport,
  cwd: string,
  target: RecordTarget,
): EventInput[] {
  const modelPath = resolve(cwd, report.path);
  const manifest = report.manifest;
  const byFile = new Map<string, string | undefined>();
  if (manifest !== undefined) {
    for (const resource of manifest.resources) {
      const file = resourceFile(resource.name, manifest.serialization);
      byFile.set(file, manifest.serialization === "files" ? resource.digest : undefined);
    }
  }
  for (const finding of report.findings)
    if (finding.path !== "") byFile.set(finding.path, byFile.get(finding.path));
  const hashAlgorithm = manifest?.hashAlgorithm === "blake2b" ? "blake2b" : "sha256";
  const events: EventInput[] = [...byFile].map(([file, digest]) => {
    const problems = report.findings.filter((f) => f.path === file);
    const first = problems[0];
    return {
      ...eventBase(target),
      activity: "verify.file",
      severity_id: first === undefined ? 1 : 4,
      resources: [
        {
          type: "file",
          uid: file === "." ? modelPath : resolve(modelPath, file),
          name: eventText(file === "." ? basename(modelPath) : file),
          ...(digest === undefined || !/^[0-9a-f]{16,128}$/.test(digest)
            ? {}
            : { hashes: [{ algorithm: hashAlgorithm, value: digest }] }),
        },
      ],
      outcome: {
        status: first === undefined ? "success" : "failure",
        code: first?.kind ?? "verified",
        message: eventText(first?.detail ?? "matches the signature"),
      },
      details: { signature: eventText(report.signature), key_hint: report.signer?.keyHint ?? null },
    };
  });
  // A signature that fails before any file is hashed is one event about the model.
  for (const finding of report.findings.filter((f) => f.path === "")) {
    events.push({
      ...eventBase(target),
      activity: "verify.model",
      severity_id: 5,
      resources: [{ type: "model", uid: modelPath, name: eventText(report.path) }],
      outcome: { status: "failure", code: finding.kind, message: eventText(finding.detail) },
      details: { signature: eventText(report.signature) },
    });
  }
  return events;
}

/** One event per finding, and one for the environment as a whole. */
export function envEvents(report: EnvReport, target: RecordTarget): EventInput[] {
  const failing = report.summary.failing;
  const events: EventInput[] = report.findings.map((finding) => ({
    ...eventBase(target),
    activity: "env.finding",
    severity_id: finding.expected === true ? 1 : 4,
    resources: [
      { type: "file", uid: resolve(report.root, finding.path), name: eventText(finding.path) },
    ],
    outcome: {
      status: finding.expected === true ? "success" : "failure",
      code: finding.kind,
      message: eventText(finding.detail),
    },
    details: { kind: finding.kind, package: finding.package, expected: finding.expected === true },
  }));
  events.push({
    ...eventBase(target),
    activity: "env.check",
    severity_id: failing === 0 ? 1 : 4,
    resources: [{ type: "python_environment", uid: report.root, name: eventText(report.layout) }],
    outcome: {
      status: failing === 0 ? "success" : "failure",
      code: failing === 0 ? "verified" : "findings",
      message: `${report.summary.packages} packages, ${report.summary.filesHashed} files hashed, ${failing} failing findings`,
    },
    details: {
      packages: report.summary.packages,
      files_hashed: report.summary.filesHashed,
      bytecode_checked: report.summary.bytecodeChecked,
      failing,
    },
  });
  return events;
}
