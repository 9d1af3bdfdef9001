/** The one error the ledger service throws; tests and the HTTP layer switch on the code. */
export type LedgerServiceErrorCode =
  /**
   * Start-up verification or a pre-signing consistency check failed: the stored log is not the
   * one the log key signed. The service serves reads but refuses appends and checkpoints.
   */
  | "LEDGER_TAMPERED"
  /** An append was given no entries, or an entry over the 65,535-byte tile limit. */
  | "INVALID_APPEND"
  /** The service is closing or closed; nothing more is accepted. */
  | "CLOSED";

export class LedgerServiceError extends Error {
  override readonly name = "LedgerServiceError";
  readonly code: LedgerServiceErrorCode;

  constructor(code: LedgerServiceErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
