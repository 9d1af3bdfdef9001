/** The one error type of the monitor, with a closed set of codes. */
export type TelemetryErrorCode = "MALFORMED" | "UNSUPPORTED" | "LIMIT_EXCEEDED" | "NOT_FOUND";

export class TelemetryError extends Error {
  override readonly name = "TelemetryError";
  readonly code: TelemetryErrorCode;

  constructor(code: TelemetryErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
