/**
 * State shared while one file is scanned: the policy, the limits, where we are inside nested
 * containers, and the findings collected so far.
 */

import { DEFAULT_SCAN_LIMITS, type ScanLimits } from "./options.js";
import type { Allowlist } from "./policy/classify-global.js";
import type { Finding, FindingLocation, Verdict } from "./types.js";
import { worseVerdict } from "./types.js";

export class FindingCollector {
  readonly findings: Finding[] = [];
  readonly #seen = new Set<string>();
  readonly #max: number;
  #verdict: Verdict = "clean";
  #dropped = 0;

  constructor(max: number = DEFAULT_SCAN_LIMITS.maxFindings) {
    this.#max = max;
  }

  /** The worst verdict of every finding added, including those over the kept maximum. */
  get verdict(): Verdict {
    return this.#verdict;
  }

  get dropped(): number {
    return this.#dropped;
  }

  add(found: Finding): void {
    this.#verdict = worseVerdict(this.#verdict, found.verdict);
    const key = `${found.rule}\u0000${found.message}\u0000${found.location.member ?? ""}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    if (this.findings.length >= this.#max) {
      this.#dropped += 1;
      return;
    }
    this.findings.push(found);
  }
}

/**
 * A file on disk that the model being scanned names as its tensor data (ONNX external data, a
 * SavedModel's `variables/`). A folder scan uses it to tell data of a model from unknown files.
 */
export interface ModelDataFile {
  /** The data file's real path (links resolved; always inside the model's folder). */
  readonly path: string;
  /** What kind of data it is: "onnx-external-data", "tf-variables". */
  readonly kind: string;
  /** What names it, for the message: "tensor 'w'", "the SavedModel". */
  readonly role: string;
}

/** The result of scanning a buffer that a container or a pickle holds. */
export interface NestedResult {
  readonly format: string;
}

export interface ScanContext {
  readonly allow: Allowlist;
  readonly limits: ScanLimits;
  readonly collector: FindingCollector;
  /** Containers entered so far; bounded by `limits.maxNesting`. */
  readonly depth: number;
  /** The file on disk being scanned (top level only), for formats that refer to sibling files. */
  readonly path?: string;
  /** Collects the data files the top-level file names (only set for a file on disk). */
  readonly dataFiles?: ModelDataFile[];
  /** Scans bytes found inside the current input (a member, a decompressed stream, a bytes arg). */
  readonly scanNested: (bytes: Uint8Array, member: string, depth: number) => Promise<NestedResult>;
}

/** Joins a member path onto the current one: "archive/data.pkl" inside "model.zip!x". */
export function joinMember(parent: string | undefined, child: string): string {
  return parent === undefined || parent === "" ? child : `${parent}!${child}`;
}

export function at(member: string | undefined, offset?: number, stream?: number): FindingLocation {
  const location: FindingLocation = {};
  if (member !== undefined && member !== "") location.member = member;
  if (offset !== undefined) location.offset = offset;
  if (stream !== undefined) location.stream = stream;
  return location;
}
