/** C2SP signed notes, checkpoints and cosignatures over node:crypto Ed25519. */
export type { Checkpoint } from "./checkpoint.js";
export {
  CHECKPOINT_ROOT_SIZE,
  formatCheckpoint,
  MAX_CHECKPOINT_EXTENSIONS,
  parseCheckpoint,
} from "./checkpoint.js";
export type { Cosignature } from "./cosignature.js";
export {
  COSIGNATURE_V1_HEADER,
  cosignatureMessage,
  cosignatureSigner,
  cosignatureVerifier,
  parseCosignature,
} from "./cosignature.js";
export { ed25519Signer, ed25519Verifier } from "./ed25519-note-key.js";
export {
  computeKeyId,
  formatKeyId,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
} from "./key-id.js";
export { isValidKeyName } from "./key-name.js";
export type { NoteSignature, ParsedNote } from "./note.js";
export { formatNote, MAX_NOTE_SIGNATURES, MAX_NOTE_SIZE, parseNote } from "./note.js";
export type { NoteErrorCode } from "./note-error.js";
export { NoteError } from "./note-error.js";
export type { NoteKeyStrings, SignerKeyOptions } from "./note-keys.js";
export {
  formatSignerKey,
  formatVerifierKey,
  generateNoteKeys,
  parseSignerKey,
  parseVerifierKey,
} from "./note-keys.js";
export type { OpenedCheckpoint } from "./open-checkpoint.js";
export { openCheckpoint, signCheckpoint } from "./open-checkpoint.js";
export type { OpenedNote } from "./open-note.js";
export { openNote } from "./open-note.js";
export { appendSignatures, signNote } from "./sign-note.js";
export type { NoteSigner, NoteVerifier } from "./signer.js";
