/**
 * Whether an error means the stored log is wrong (a proof that does not verify, a hash row that
 * is missing or malformed) rather than that the database is unreachable or busy. The first kind
 * halts signing for good; the second is retried.
 */
import { LedgerError } from "../index.js";

/** Store error codes (src/store/store-error.ts) that mean rows were deleted or altered. */
const CORRUPTION_CODES: ReadonlySet<string> = new Set(["STORAGE_INCONSISTENT", "HASH_NOT_FOUND"]);

export function isStorageCorruption(error: unknown): boolean {
  if (error instanceof LedgerError) return true;
  if (!(error instanceof Error) || error.name !== "StoreError") return false;
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === "string" && CORRUPTION_CODES.has(code);
}
