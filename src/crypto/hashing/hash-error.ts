/**
 * The one error the hashing engine throws for a file it could not hash completely. A digest is
 * only ever returned for every byte of the requested range of the file that was stat'ed first.
 */
export type HashErrorCode =
  /** The path does not exist (or a parent is not a directory). */
  | "NOT_FOUND"
  /** The file could not be opened or read, is not a regular file, or a worker failed. */
  | "IO"
  /** The file is not the one stat'ed before hashing, is shorter than the requested range, or its
   * size or modification time changed while it was read. */
  | "CHANGED";

export class HashError extends Error {
  override readonly name = "HashError";
  readonly code: HashErrorCode;
  /** The file that could not be hashed. */
  readonly path: string;

  constructor(code: HashErrorCode, path: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.path = path;
  }
}

/** Wraps an exception from `node:fs` as our error, naming the path. */
export function fsError(path: string, action: string, error: unknown): HashError {
  if (error instanceof HashError) return error;
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  const state = errno ?? (error instanceof Error ? error.message : String(error));
  const code = errno === "ENOENT" || errno === "ENOTDIR" ? "NOT_FOUND" : "IO";
  return new HashError(code, path, `Cannot ${action} '${path}': ${state}`, { cause: error });
}
