/**
 * Where a SARIF result points: the artifact URI of a scanned file and a stable fingerprint.
 * GitHub code scanning matches results across runs by rule id, path and fingerprint, so both
 * must be the same for the same finding on every machine.
 */
import { createHash } from "node:crypto";
import { isAbsolute, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { Finding } from "../types.js";

/** The `%SRCROOT%` base that relative URIs are resolved against (SARIF 2.1.0 §3.4.4). */
export const SRCROOT = "%SRCROOT%";

export interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/**
 * A relative path becomes a relative URI reference with forward slashes and percent-encoded
 * segments (a space, `#`, `?`, `%` or `:` would otherwise change its meaning), based on
 * `%SRCROOT%`; GitHub reads relative URIs as relative to the repository root. An absolute path
 * becomes a `file:` URI, which GitHub makes relative with the checkout path.
 */
export function artifactLocation(path: string): SarifArtifactLocation {
  if (isAbsolute(path)) return { uri: pathToFileURL(path).href };
  const segments = path
    .split(sep)
    .join("/")
    .split("/")
    .filter((segment) => segment !== "" && segment !== ".");
  const uri = segments.map((segment) => encodeURIComponent(segment)).join("/");
  return { uri: uri === "" ? "." : uri, uriBaseId: SRCROOT };
}

/** `file:` URI of a directory, with the trailing slash SARIF requires of a base URI (§3.14.14). */
export function directoryUri(directory: string): string {
  const href = pathToFileURL(directory).href;
  return href.endsWith("/") ? href : `${href}/`;
}

/**
 * SHA-256 of rule, artifact URI, member and message. The byte offset is left out so that an
 * unrelated change earlier in the file does not turn a known alert into a new one. JSON encoding
 * keeps the fields apart ("a" + "bc" and "ab" + "c" hash differently).
 */
export function fingerprint(
  rule: string,
  uri: string,
  finding: Pick<Finding, "location" | "message">,
): string {
  const fields = [rule, uri, finding.location.member ?? "", finding.message];
  return createHash("sha256").update(JSON.stringify(fields)).digest("hex");
}
