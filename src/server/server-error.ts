/**
 * The one error the server and its client throw. Every HTTP error body is
 * `{"statusCode": N, "code": "<code>", "message": "Cannot …"}` with one of these codes; tests
 * assert the code, clients switch on it.
 */
export type ServerErrorCode =
  /** The request body, path or query does not match the schema, or a range is invalid. */
  | "INVALID_REQUEST"
  /** No bearer token, or one that is unknown, malformed, expired or revoked. */
  | "UNAUTHENTICATED"
  /** Nothing is at this path, or the tile or entry is beyond the log. */
  | "NOT_FOUND"
  /** The body is over the server's size limit. */
  | "PAYLOAD_TOO_LARGE"
  /** The body is not `application/json`. */
  | "UNSUPPORTED_MEDIA_TYPE"
  /** The ledger failed verification or is closing: it accepts no appends. */
  | "LEDGER_UNAVAILABLE"
  /** Something failed inside the server; the log has the details. */
  | "INTERNAL"
  /** Client side: the server could not be reached or answered something unexpected. */
  | "BAD_RESPONSE"
  /** Configuration: a key file, home directory, origin or token option is unusable. */
  | "INVALID_CONFIG";

const STATUS: Readonly<Record<ServerErrorCode, number>> = {
  INVALID_REQUEST: 400,
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  LEDGER_UNAVAILABLE: 503,
  INTERNAL: 500,
  BAD_RESPONSE: 502,
  INVALID_CONFIG: 500,
};

export class ServerError extends Error {
  override readonly name = "ServerError";
  readonly code: ServerErrorCode;
  /** The HTTP status the server answers with for this error. */
  readonly statusCode: number;

  constructor(code: ServerErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.statusCode = STATUS[code];
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  readonly statusCode: number;
  readonly code: ServerErrorCode;
  readonly message: string;
}
