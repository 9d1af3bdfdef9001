/**
 * Where an ONNX tensor's external data points. The `location` must name a file inside the
 * model's folder: onnx's checker refuses absolute paths, `..` components and symbolic links
 * (CVE-2022-25882, CVE-2024-27318), because loading reads, and some tools write, that file.
 */
import { realpath } from "node:fs/promises";
import { dirname, posix, relative, resolve, sep } from "node:path";

export type ExternalDataVerdict =
  | { readonly kind: "inside"; readonly real: string }
  | { readonly kind: "missing"; readonly resolved: string }
  | { readonly kind: "escapes"; readonly why: string };

const DRIVE = /^[A-Za-z]:/;

/** Checks a location by its text alone (for models inside archives, or with no file path). */
export function lexicalEscape(location: string): string | undefined {
  const slashed = location.replaceAll("\\", "/");
  if (slashed.startsWith("/") || DRIVE.test(slashed)) return "is an absolute path";
  if (location.includes("\u0000")) return "holds a NUL byte";
  if (slashed.split("/").includes("..")) return "has a '..' component";
  if (posix.normalize(slashed) === ".") return "names the model's folder itself";
  return undefined;
}

/** Checks a location against the real folder of a model file on disk, following links. */
export async function checkExternalData(
  modelPath: string,
  location: string,
): Promise<ExternalDataVerdict> {
  const lexical = lexicalEscape(location);
  if (lexical !== undefined) return { kind: "escapes", why: lexical };
  const folder = await realpath(dirname(modelPath));
  const expected = resolve(folder, posix.normalize(location.replaceAll("\\", "/")));
  let real: string;
  try {
    real = await realpath(expected);
  } catch {
    return { kind: "missing", resolved: expected };
  }
  const rel = relative(folder, real);
  if (rel === "" || rel.startsWith(`..${sep}`) || rel === ".." || resolve(folder, rel) !== real) {
    return { kind: "escapes", why: `resolves to '${real}', outside the model's folder` };
  }
  if (real !== expected)
    return { kind: "escapes", why: `goes through a symbolic link to '${real}'` };
  return { kind: "inside", real };
}
