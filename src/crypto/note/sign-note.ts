import { assertNoteText, formatNote, type NoteSignature, parseNote } from "./note.js";
import type { NoteSigner } from "./signer.js";

/** Signs note text with each signer, in order; `text` must end in newline. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  assertNoteText(text);
  return formatNote(text, sign(text, signers));
}

/**
 * Adds signatures to a signed note, keeping the existing lines (a witness cosigning a
 * checkpoint). The existing signatures are not verified here; open the note first.
 */
export function appendSignatures(note: string, signers: readonly NoteSigner[]): string {
  const { text, signatures } = parseNote(note);
  // Re-parse so a signer that already signed becomes a DUPLICATE_SIGNATURE, not a second line.
  const signed = formatNote(text, [...signatures, ...sign(text, signers)]);
  parseNote(signed);
  return signed;
}

function sign(text: string, signers: readonly NoteSigner[]): NoteSignature[] {
  const bytes = new TextEncoder().encode(text);
  return signers.map((s) => ({ name: s.name, keyId: s.keyId, signature: s.sign(bytes) }));
}
