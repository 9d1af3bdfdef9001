import { type Checkpoint, formatCheckpoint, parseCheckpoint } from "./checkpoint.js";
import { NoteError } from "./note-error.js";
import { type OpenedNote, openNote } from "./open-note.js";
import { signNote } from "./sign-note.js";
import type { NoteSigner, NoteVerifier } from "./signer.js";

/** A checkpoint whose note a trusted key signed. */
export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly note: OpenedNote;
}

/**
 * Verifies a signed checkpoint from the network: the note must verify against `verifiers`, its
 * text must be a checkpoint, and its origin must be the log the caller asked for (a validly
 * signed checkpoint of another log is ORIGIN_MISMATCH).
 */
export function openCheckpoint(
  note: string | Uint8Array,
  origin: string,
  verifiers: readonly NoteVerifier[],
): OpenedCheckpoint {
  const opened = openNote(note, verifiers);
  const checkpoint = parseCheckpoint(opened.text);
  if (checkpoint.origin !== origin) {
    throw new NoteError(
      "ORIGIN_MISMATCH",
      `Cannot open checkpoint: origin ${JSON.stringify(checkpoint.origin)} is not ${JSON.stringify(origin)}`,
    );
  }
  return { checkpoint, note: opened };
}

/** Formats and signs a checkpoint: the note a log serves at `/checkpoint`. */
export function signCheckpoint(checkpoint: Checkpoint, signers: readonly NoteSigner[]): string {
  return signNote(formatCheckpoint(checkpoint), signers);
}
