/** Errors of the load guard's daemon and client, with a closed set of codes (STYLE.md, habit 3). */

export type GuardErrorCode =
  /** The request line is not JSON, or not the shape `{"path": ..., "verify"?: {...}}`. */
  | "bad-request"
  /** The request line is longer than `MAX_REQUEST_BYTES`. */
  | "request-too-large"
  /** The socket path is taken by something that is not a stale socket, or cannot be bound. */
  | "socket-unavailable"
  /** A signature or public key named in the request cannot be read. */
  | "verify-input-unreadable"
  /** The daemon did not answer, or answered something that is not a reply. */
  | "no-reply";

export class GuardError extends Error {
  readonly code: GuardErrorCode;

  constructor(code: GuardErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "GuardError";
    this.code = code;
  }
}
