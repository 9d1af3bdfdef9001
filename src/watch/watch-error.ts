/** Why watching, quarantining or restoring could not go on (not a verdict about a file). */
export type WatchErrorCode =
  | "NOT_FOUND"
  | "BAD_STATE"
  | "BAD_INDEX"
  | "UNKNOWN_ID"
  | "TARGET_EXISTS"
  | "LOCKED"
  | "IO";

export class WatchError extends Error {
  override readonly name = "WatchError";
  readonly code: WatchErrorCode;

  constructor(code: WatchErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
