/** Reads what a signature lists without verifying it (for diffs and display only). */
import { parseBundle } from "./bundle-read.js";
import { readStatement } from "./statement-read.js";
import type { Manifest } from "./types.js";

/**
 * The manifest in a signature file's statement. NOT verified: the signature, the key and the
 * root digest are not checked, so never trust the result for a security decision.
 */
export function readManifest(signatureJson: string): Manifest {
  return readStatement(parseBundle(signatureJson).payload).manifest;
}
