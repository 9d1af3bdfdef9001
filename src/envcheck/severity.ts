/**
 * How serious a finding is. Code Python runs (sources, extension modules, bytecode, .pth, scripts)
 * outranks data; a changed or added code file is the reference attack (an edited torch source).
 */
import type { FindingKind, Severity } from "./types.js";

const CODE_SUFFIXES = [".py", ".pyc", ".pyo", ".pyw", ".so", ".pyd", ".dll", ".dylib", ".pth"];

export function isCodePath(path: string): boolean {
  const lower = path.toLowerCase();
  if (CODE_SUFFIXES.some((suffix) => lower.endsWith(suffix))) return true;
  // Extension modules carry an ABI tag and sometimes a version: foo.cpython-311-x86_64-linux-gnu.so.1
  if (/\.so(\.\d+)*$/.test(lower)) return true;
  return /(^|\/)(bin|Scripts)\/[^/]+$/.test(path);
}

export function severityFor(kind: FindingKind, path: string): Severity {
  switch (kind) {
    case "modified":
    case "unexpected":
      return isCodePath(path) ? "critical" : "high";
    case "startup-hook":
    case "bytecode-mismatch":
      return "critical";
    case "orphan-bytecode":
      return "high";
    case "missing":
    case "unverified":
    case "unreadable-bytecode":
      return "medium";
  }
}
