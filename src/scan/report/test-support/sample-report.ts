/** Hand-built reports for the formatter tests (the scanner is not involved). */
import { type FileResult, type ScanReport, summarize } from "../../types.js";

export function report(files: FileResult[]): ScanReport {
  return { files, summary: summarize(files) };
}

export const CLEAN_PICKLE: FileResult = {
  path: "models/ok.pkl",
  format: "pickle",
  verdict: "clean",
  findings: [],
  size: 5,
  bytesRead: 5,
};

export const DANGEROUS_PICKLE: FileResult = {
  path: "models/evil.pkl",
  format: "pickle",
  verdict: "dangerous",
  findings: [
    {
      rule: "pickle/dangerous-global",
      severity: "critical",
      message: "Cannot allow global os.system: it runs a shell command",
      location: { offset: 14 },
      reference: "https://docs.python.org/3/library/pickle.html#restricting-globals",
      verdict: "dangerous",
    },
  ],
  size: 29,
  bytesRead: 29,
};

export const SUSPICIOUS_ZIP: FileResult = {
  path: "models/sub dir/model.pt",
  format: "pytorch-zip",
  verdict: "suspicious",
  findings: [
    {
      rule: "zip/crc-mismatch",
      severity: "high",
      message: "Member data does not match its CRC-32",
      location: { member: "archive/data.pkl" },
      verdict: "suspicious",
    },
    {
      rule: "pickle/unknown-global",
      severity: "medium",
      message: "Global mylib.Layer is not on the allowlist",
      location: { member: "archive/data.pkl", offset: 120, stream: 0 },
      verdict: "suspicious",
    },
  ],
  size: 4096,
  bytesRead: 512,
};

export const UNSCANNABLE_BLOB: FileResult = {
  path: "models/blob.bin",
  format: "unknown",
  verdict: "unscannable",
  findings: [],
  size: 100,
  bytesRead: 16,
};

export const MIXED = report([CLEAN_PICKLE, DANGEROUS_PICKLE, SUSPICIOUS_ZIP, UNSCANNABLE_BLOB]);
