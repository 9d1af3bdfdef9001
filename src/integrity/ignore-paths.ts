/**
 * Paths left out of a signature. Like the reference (`hashing.Config.hash`,
 * `serialization.should_ignore`), an ignored path covers itself and everything below it, and
 * paths are model-relative POSIX paths compared component by component.
 */
import { IntegrityError } from "./integrity-error.js";

/** What the reference signer and verifier always leave out (`ignore_git_paths=True`). */
export const DEFAULT_IGNORE_PATHS: readonly string[] = [
  ".git",
  ".gitattributes",
  ".github",
  ".gitignore",
];

/** The reference CLI's default signature name, which it records in every `ignore_paths`. */
export const DEFAULT_SIGNATURE_NAME = "model.sig";

/** Bounds on an ignore list, whether from a caller or from an untrusted signature. */
export const MAX_IGNORE_PATHS = 10_000;
export const MAX_PATH_LENGTH = 4096;

/**
 * A model-relative path in canonical form: forward slashes, no `.` or empty components, no
 * trailing slash. Absolute paths and `..` are refused.
 */
export function normalizeIgnorePath(path: string): string {
  if (path.length === 0 || path.length > MAX_PATH_LENGTH) {
    throw new IntegrityError(
      "USAGE",
      `Cannot use ignore path "${path.slice(0, 80)}": length ${path.length}`,
    );
  }
  if (path.startsWith("/") || path.includes("\0")) {
    throw new IntegrityError(
      "USAGE",
      `Cannot use ignore path "${path}": not relative to the model`,
    );
  }
  const parts = path.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.includes("..")) {
    throw new IntegrityError("USAGE", `Cannot use ignore path "${path}": it leaves the model`);
  }
  if (parts.length === 0) {
    throw new IntegrityError("USAGE", `Cannot use ignore path "${path}": it is the whole model`);
  }
  return parts.join("/");
}

export function normalizeIgnorePaths(paths: readonly string[]): string[] {
  if (paths.length > MAX_IGNORE_PATHS) {
    throw new IntegrityError(
      "USAGE",
      `Cannot use ${paths.length} ignore paths: over ${MAX_IGNORE_PATHS}`,
    );
  }
  return paths.map(normalizeIgnorePath);
}

/** `path` is `ignored` or lies below it. */
export function isUnder(path: string, ignored: string): boolean {
  return path === ignored || path.startsWith(`${ignored}/`);
}

export function isIgnored(path: string, ignorePaths: readonly string[]): boolean {
  return ignorePaths.some((ignored) => isUnder(path, ignored));
}
