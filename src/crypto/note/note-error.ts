/**
 * The one error the signed-note libraries throw. Notes, keys and checkpoints come from the
 * network or from configuration, so each code says which part was wrong; tests assert the code.
 */
export type NoteErrorCode =
  /** Not a signed note: bad UTF-8, a control character, no blank line, a bad signature line. */
  | "MALFORMED_NOTE"
  /** Two signature lines name the same key (same key name and key ID). */
  | "DUPLICATE_SIGNATURE"
  /** The note is too large or has too many signatures or extension lines. */
  | "LIMIT_EXCEEDED"
  /** A signer or verifier key string (or a key name) is not in the one accepted form. */
  | "MALFORMED_KEY"
  /** A key's signature type byte is not one we implement (0x01 Ed25519, 0x04 cosignature/v1). */
  | "UNSUPPORTED_KEY_TYPE"
  /** The key ID written in a key string is not the one its name, type and key give. */
  | "KEY_ID_MISMATCH"
  /** Two configured verifiers share a key name and key ID, so a signature line is ambiguous. */
  | "AMBIGUOUS_VERIFIERS"
  /** A signature by a known key does not verify: the whole note is rejected. */
  | "INVALID_SIGNATURE"
  /** No signature by a known key is present. */
  | "NO_VERIFIED_SIGNATURE"
  /** The note text is not a C2SP checkpoint (origin, size, root hash, extension lines). */
  | "MALFORMED_CHECKPOINT"
  /** A checkpoint's origin is not the log the caller expected. */
  | "ORIGIN_MISMATCH"
  /** A cosignature is not a u64 timestamp (<= 2^53 - 1 here) followed by a 64-byte signature. */
  | "MALFORMED_COSIGNATURE";

export class NoteError extends Error {
  override readonly name = "NoteError";
  readonly code: NoteErrorCode;

  constructor(code: NoteErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
