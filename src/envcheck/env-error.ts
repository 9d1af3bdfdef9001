/** Why an environment check could not run at all (as opposed to a finding about a file). */
export type EnvCheckErrorCode =
  /** PATH does not exist or cannot be listed. */
  | "NOT_FOUND"
  /** PATH exists but is not a venv, a conda prefix or a site-packages directory. */
  | "NOT_ENVIRONMENT"
  /** A package record (RECORD, conda-meta JSON, md5sums, .list) is unreadable or malformed. */
  | "BAD_RECORD"
  /** A limit on files, depth or sizes was reached, so the check would be incomplete. */
  | "LIMIT"
  /** Options that do not fit together, or a `--package` that matches nothing. */
  | "USAGE"
  /** A snapshot could not be made, read or checked. */
  | "SNAPSHOT"
  /** Any other file-system failure. */
  | "IO";

export class EnvCheckError extends Error {
  override readonly name = "EnvCheckError";
  readonly code: EnvCheckErrorCode;

  constructor(code: EnvCheckErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
