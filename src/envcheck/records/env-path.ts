/**
 * Record paths are attacker-controlled text: these helpers turn them into normalised paths
 * relative to the environment root, and refuse anything that is not a plain path.
 */
import { posix } from "node:path";
import { EnvCheckError } from "../env-error.js";
import { LIMITS } from "../limits.js";

/** Checks a path read from a record: bounded, no NUL, no control characters used as separators. */
export function checkRecordPath(path: string, record: string): void {
  if (path.length === 0) {
    throw new EnvCheckError("BAD_RECORD", `Cannot read the record "${record}": a path is empty`);
  }
  if (path.length > LIMITS.maxPathLength) {
    throw new EnvCheckError(
      "BAD_RECORD",
      `Cannot read the record "${record}": a path is longer than ${LIMITS.maxPathLength} characters`,
    );
  }
  if (path.includes("\0")) {
    throw new EnvCheckError(
      "BAD_RECORD",
      `Cannot read the record "${record}": a path contains NUL`,
    );
  }
}

/**
 * Resolves `path` (relative to `base`, itself relative to the root; or absolute) to a path
 * relative to the root. Returns undefined when it lands outside the root, such as a script in
 * `../../bin/` when the root is site-packages itself.
 */
export function toRootRelative(
  base: string,
  path: string,
  absoluteRoot: string,
): string | undefined {
  const unified = path.replaceAll("\\", "/");
  let joined: string;
  if (unified.startsWith("/")) {
    const root = absoluteRoot.endsWith("/") ? absoluteRoot : `${absoluteRoot}/`;
    const normal = posix.normalize(unified);
    if (!normal.startsWith(root)) return undefined;
    joined = normal.slice(root.length);
  } else {
    joined = posix.normalize(posix.join(base === "" ? "." : base, unified));
  }
  if (joined === ".." || joined.startsWith("../")) return undefined;
  const trimmed = joined.replace(/\/+$/, "");
  return trimmed === "." ? "" : trimmed;
}

/** The first segment of a root-relative path below `siteDir`, or undefined if not below it. */
export function topLevelName(siteDir: string, path: string): string | undefined {
  const prefix = siteDir === "" ? "" : `${siteDir}/`;
  if (!path.startsWith(prefix)) return undefined;
  const rest = path.slice(prefix.length);
  const slash = rest.indexOf("/");
  return slash === -1 ? undefined : rest.slice(0, slash);
}
