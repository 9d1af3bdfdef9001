import { decodeBase64Strict, encodeBase64 } from "./base64.js";
import { assertNoteText } from "./note.js";
import { NoteError } from "./note-error.js";

/** Root hashes are SHA-256 Merkle tree hashes (tlog-checkpoint "root hash", RFC 6962 §2.1). */
export const CHECKPOINT_ROOT_SIZE = 32;

/** Most extension lines we accept; the spec does not recommend any (tlog-checkpoint "Note text"). */
export const MAX_CHECKPOINT_EXTENSIONS = 16;

/** Longest tree size line: 2^53 - 1 has 16 digits; sizes above it are rejected, not rounded. */
const MAX_SIZE_DIGITS = 16;

/** Tree size: ASCII decimal with no leading zeroes, "0" for the empty tree. */
const TREE_SIZE = /^(?:0|[1-9][0-9]*)$/;

/** The note text of a C2SP tlog-checkpoint. */
export interface Checkpoint {
  /** The log's identity, e.g. `ledger.example/pipeline`. Compare it; do not parse it. */
  readonly origin: string;
  /** Number of leaves; a safe integer. */
  readonly size: number;
  /** RFC 6962 root hash of the first `size` leaves. */
  readonly rootHash: Uint8Array;
  /** Opaque, non-empty lines after the root hash. */
  readonly extensions: readonly string[];
}

/** Parses checkpoint note text (with its final newline); strict about every line. */
export function parseCheckpoint(text: string): Checkpoint {
  try {
    assertNoteText(text);
  } catch (cause) {
    throw malformed("it is not valid note text", cause);
  }
  const lines = text.slice(0, -1).split("\n");
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (origin === undefined || sizeLine === undefined || rootLine === undefined) {
    throw malformed("it has fewer than three lines");
  }
  if (lines.some((line) => line === "")) throw malformed("it has an empty line");
  if (extensions.length > MAX_CHECKPOINT_EXTENSIONS) {
    throw new NoteError(
      "LIMIT_EXCEEDED",
      `Cannot parse checkpoint: ${extensions.length} extension lines, over ${MAX_CHECKPOINT_EXTENSIONS}`,
    );
  }
  const size = parseTreeSize(sizeLine);
  const rootHash = decodeBase64Strict(rootLine);
  if (rootHash === undefined || rootHash.length !== CHECKPOINT_ROOT_SIZE) {
    throw malformed("the root hash is not canonical base64 of 32 bytes");
  }
  return { origin, size, rootHash, extensions };
}

/** The checkpoint's note text; the same checks as parsing apply, so it always round-trips. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, rootHash, extensions } = checkpoint;
  if (!Number.isSafeInteger(size) || size < 0) throw malformed(`size "${size}" is invalid`);
  if (rootHash.length !== CHECKPOINT_ROOT_SIZE) throw malformed("the root hash is not 32 bytes");
  const text = [origin, String(size), encodeBase64(rootHash), ...extensions]
    .map((line) => `${line}\n`)
    .join("");
  const parsed = parseCheckpoint(text);
  if (parsed.extensions.length !== extensions.length || parsed.origin !== origin) {
    throw malformed("a line contains a newline");
  }
  return text;
}

function parseTreeSize(line: string): number {
  if (line.length > MAX_SIZE_DIGITS || !TREE_SIZE.test(line)) {
    throw malformed(`tree size "${line.slice(0, MAX_SIZE_DIGITS + 1)}" is not canonical decimal`);
  }
  const size = Number(line);
  if (!Number.isSafeInteger(size)) throw malformed(`tree size "${line}" is over 2^53 - 1`);
  return size;
}

function malformed(state: string, cause?: unknown): NoteError {
  return new NoteError(
    "MALFORMED_CHECKPOINT",
    `Cannot parse checkpoint: ${state}`,
    cause === undefined ? undefined : { cause },
  );
}
