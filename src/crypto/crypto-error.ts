/**
 * The one error `crypto/` throws (outside `hashing/`). Callers branch on `code`; messages read
 * "Cannot <action> <object>: <state>".
 */
export type CryptoErrorCode =
  /** PEM, DER or base64 input is not what the format allows, or is over one of our bounds. */
  | "MALFORMED"
  /** A well-formed key or certificate of a kind we do not support (curve, algorithm). */
  | "UNSUPPORTED_KEY"
  /** A certificate chain does not lead to a trusted root, or a certificate is not usable. */
  | "CHAIN_INVALID";

export class CryptoError extends Error {
  override readonly name = "CryptoError";
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
