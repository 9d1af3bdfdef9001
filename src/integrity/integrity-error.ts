/**
 * Why signing or verification could not run at all. A signature that runs but does not match
 * is not an error: it is a `VerifyReport` with findings.
 */
export type IntegrityErrorCode =
  /** The options are contradictory or incomplete (no key, shard size out of range, …). */
  | "USAGE"
  /** The model path, a key or a certificate could not be read from disk. */
  | "IO"
  /** A key or certificate given by the caller is not usable (bad PEM, unsupported curve). */
  | "BAD_KEY"
  /** The signature file is not a bundle we can read: bad JSON, fields, sizes or payload. */
  | "MALFORMED_SIGNATURE"
  /** A well-formed bundle of a kind we do not check (an unknown predicate or media type). */
  | "UNSUPPORTED_SIGNATURE"
  /** A keyless Sigstore bundle: checking it needs the public Sigstore trust root. */
  | "KEYLESS_UNSUPPORTED"
  /** The model cannot be signed as asked (no files, a symbolic link, an empty file in shards). */
  | "UNSIGNABLE_MODEL";

export class IntegrityError extends Error {
  override readonly name = "IntegrityError";
  readonly code: IntegrityErrorCode;

  constructor(code: IntegrityErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
