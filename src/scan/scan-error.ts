/** Why a scan could not run at all (as opposed to a file that could not be fully read). */
export type ScanErrorCode = "NOT_FOUND" | "USAGE" | "IO";

export class ScanError extends Error {
  override readonly name = "ScanError";
  readonly code: ScanErrorCode;

  constructor(code: ScanErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
