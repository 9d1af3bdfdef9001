/** The one error the event module throws; tests assert the code. */
export type EventErrorCode =
  /** The event is not valid JSON for the schema or cannot be canonicalised. */
  | "INVALID_EVENT"
  /** The event's canonical bytes are over the ledger's entry limit (65,535 bytes). */
  | "EVENT_TOO_LARGE";

export class EventError extends Error {
  override readonly name = "EventError";
  readonly code: EventErrorCode;

  constructor(code: EventErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
