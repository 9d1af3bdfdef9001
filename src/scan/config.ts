/**
 * The scan configuration file: JSON with `allow` (globals to treat as harmless) and `limits`.
 * `{"allow": ["mypkg.models.*", "sklearn.linear_model._base.LinearRegression"], "limits": {"maxReadBytes": 1073741824}}`
 */
import { readFile } from "node:fs/promises";
import { DEFAULT_SCAN_LIMITS, type ScanLimits, type ScanOptions } from "./options.js";
import { ScanError } from "./scan-error.js";

const NAME = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*(\.\*)?$/;

/** Validates one `--allow` entry or config entry: a dotted name, optionally ending in ".*". */
export function checkAllowEntry(entry: string): string {
  if (!NAME.test(entry) || !entry.includes(".")) {
    throw new ScanError(
      "USAGE",
      `Cannot use allow entry '${entry}': expected module.name or module.*`,
    );
  }
  return entry;
}

export async function loadScanConfig(path: string): Promise<ScanOptions> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ScanError("USAGE", `Cannot read config '${path}': ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ScanError("USAGE", `Cannot parse config '${path}': not valid JSON`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ScanError("USAGE", `Cannot use config '${path}': expected a JSON object`);
  }
  const { allow = [], limits = {}, ...rest } = data as Record<string, unknown>;
  const unknownKeys = Object.keys(rest);
  if (unknownKeys.length > 0) {
    throw new ScanError("USAGE", `Cannot use config '${path}': unknown key '${unknownKeys[0]}'`);
  }
  if (!Array.isArray(allow) || !allow.every((e) => typeof e === "string")) {
    throw new ScanError("USAGE", `Cannot use config '${path}': 'allow' must be a list of strings`);
  }
  if (typeof limits !== "object" || limits === null || Array.isArray(limits)) {
    throw new ScanError("USAGE", `Cannot use config '${path}': 'limits' must be an object`);
  }
  const checked: Partial<Record<keyof ScanLimits, number>> = {};
  for (const [key, value] of Object.entries(limits)) {
    if (!(key in DEFAULT_SCAN_LIMITS)) {
      throw new ScanError("USAGE", `Cannot use config '${path}': unknown limit '${key}'`);
    }
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
      throw new ScanError(
        "USAGE",
        `Cannot use config '${path}': limit '${key}' must be a positive integer`,
      );
    }
    checked[key as keyof ScanLimits] = value;
  }
  return { allow: allow.map(checkAllowEntry), limits: checked };
}
