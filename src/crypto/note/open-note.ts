import { formatKeyId } from "./key-id.js";
import { type NoteSignature, parseNote } from "./note.js";
import { NoteError } from "./note-error.js";
import type { NoteVerifier } from "./signer.js";

/** A note whose text is trusted: at least one known key signed it and none failed. */
export interface OpenedNote {
  readonly text: string;
  /** Signatures by known keys, all verified, in note order. */
  readonly verified: readonly NoteSignature[];
  /** Signatures by keys we do not know; ignored, never trusted (signed-note "Signatures"). */
  readonly unverified: readonly NoteSignature[];
}

/**
 * Verifies a signed note against the trusted keys (C2SP signed-note "Signatures"): a signature
 * whose key name and ID match a known key MUST verify or the whole note is rejected
 * (INVALID_SIGNATURE); signatures by other keys are ignored; at least one known key must have
 * signed (NO_VERIFIED_SIGNATURE).
 */
export function openNote(
  note: string | Uint8Array,
  verifiers: readonly NoteVerifier[],
): OpenedNote {
  const known = indexVerifiers(verifiers);
  const { text, signatures } = parseNote(note);
  const bytes = new TextEncoder().encode(text);
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  for (const signature of signatures) {
    const verifier = known.get(verifierId(signature.name, signature.keyId));
    if (verifier === undefined) {
      unverified.push(signature);
      continue;
    }
    if (!verifier.verify(bytes, signature.signature)) {
      throw new NoteError(
        "INVALID_SIGNATURE",
        `Cannot open note: the signature by "${signature.name}" key ${formatKeyId(signature.keyId)} does not verify`,
      );
    }
    verified.push(signature);
  }
  if (verified.length === 0) {
    throw new NoteError("NO_VERIFIED_SIGNATURE", "Cannot open note: no trusted key signed it");
  }
  return { text, verified, unverified };
}

function indexVerifiers(verifiers: readonly NoteVerifier[]): Map<string, NoteVerifier> {
  const known = new Map<string, NoteVerifier>();
  for (const v of verifiers) {
    const id = verifierId(v.name, v.keyId);
    if (known.has(id)) {
      throw new NoteError(
        "AMBIGUOUS_VERIFIERS",
        `Cannot open note: two trusted keys are "${v.name}" key ${formatKeyId(v.keyId)}`,
      );
    }
    known.set(id, v);
  }
  return known;
}

function verifierId(name: string, keyId: number): string {
  return `${name}\n${keyId}`;
}
