/**
 * Builds a pure-Python wheel in code (PEP 427): the package files, then
 * `<name>-<version>.dist-info/{METADATA,WHEEL,RECORD}` with a RECORD that hashes every file.
 */
import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { storedZip } from "./stored-zip.js";

export interface WheelSpec {
  readonly name: string;
  readonly version: string;
  /** Path inside site-packages → content. */
  readonly files: Readonly<Record<string, string>>;
}

export function recordHash(data: Buffer): string {
  return `sha256=${createHash("sha256").update(data).digest("base64url")}`;
}

/** Writes the wheel into `dir` and returns its path. */
export async function buildWheel(dir: string, spec: WheelSpec): Promise<string> {
  const distInfo = `${spec.name}-${spec.version}.dist-info`;
  const entries = Object.entries(spec.files).map(([name, text]) => ({
    name,
    data: Buffer.from(text),
  }));
  entries.push({
    name: `${distInfo}/METADATA`,
    data: Buffer.from(`Metadata-Version: 2.1\nName: ${spec.name}\nVersion: ${spec.version}\n`),
  });
  entries.push({
    name: `${distInfo}/WHEEL`,
    data: Buffer.from(
      "Wheel-Version: 1.0\nGenerator: trainguard-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    ),
  });
  const record = entries.map(
    (entry) => `${entry.name},${recordHash(entry.data)},${entry.data.length}`,
  );
  record.push(`${distInfo}/RECORD,,`);
  entries.push({ name: `${distInfo}/RECORD`, data: Buffer.from(`${record.join("\n")}\n`) });
  const path = join(dir, `${spec.name}-${spec.version}-py3-none-any.whl`);
  await writeFile(path, storedZip(entries));
  return path;
}
