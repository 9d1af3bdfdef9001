/**
 * The one error the ledger libraries throw. Proofs, tiles, bundles and indexes may come from the
 * network, so every code names what an attacker could have got wrong; tests assert the code.
 */
export type LedgerErrorCode =
  /** An index or tree size is negative, not a safe integer, or outside the tree (index >= size). */
  | "OUT_OF_RANGE"
  /** A hash is not exactly 32 bytes. */
  | "MALFORMED_HASH"
  /** A proof has the wrong number of hashes for its index and sizes. */
  | "MALFORMED_PROOF"
  /** A well-formed proof does not lead to the expected root: the log or the proof was altered. */
  | "PROOF_MISMATCH"
  /** A tile or entry-bundle path is not in the one canonical C2SP form. */
  | "MALFORMED_TILE_PATH"
  /** Tile bytes are not a whole number of hashes or do not match the expected width. */
  | "MALFORMED_TILE"
  /** An entry bundle is truncated, has trailing bytes or the wrong number of entries. */
  | "MALFORMED_ENTRY_BUNDLE"
  /** A length or count is over a bound set by a spec or by us. */
  | "LIMIT_EXCEEDED"
  /** A `HashReader` returned the wrong number of hashes: the server's own storage is broken. */
  | "STORAGE_INCONSISTENT";

export class LedgerError extends Error {
  override readonly name = "LedgerError";
  readonly code: LedgerErrorCode;

  constructor(code: LedgerErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
