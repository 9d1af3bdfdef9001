/**
 * The hash column of a RECORD row: `<algorithm>=<urlsafe-base64-nopad digest>` (PyPA "Recording
 * installed projects", RECORD; PEP 376). We check sha256 only, which every installer writes;
 * any other algorithm is returned as unsupported so the file is reported unverified, not clean.
 */
import { EnvCheckError } from "../env-error.js";

export type RecordHash =
  | { readonly kind: "sha256"; readonly hex: string }
  | { readonly kind: "unsupported"; readonly algorithm: string };

const SHA256_BYTES = 32;
/** 32 bytes in base64 without padding: ceil(32 * 4 / 3). */
const SHA256_B64_LENGTH = 43;
const URLSAFE_B64 = /^[A-Za-z0-9_-]+$/;
const ALGORITHM = /^[a-z0-9_]{1,32}$/;

export function parseRecordHash(field: string, record: string): RecordHash {
  const eq = field.indexOf("=");
  if (eq <= 0) {
    throw new EnvCheckError(
      "BAD_RECORD",
      `Cannot read the record "${record}": the hash "${field.slice(0, 80)}" has no algorithm`,
    );
  }
  const algorithm = field.slice(0, eq);
  const value = field.slice(eq + 1);
  if (!ALGORITHM.test(algorithm)) {
    throw new EnvCheckError(
      "BAD_RECORD",
      `Cannot read the record "${record}": the hash algorithm "${algorithm.slice(0, 40)}" is not a name`,
    );
  }
  if (algorithm !== "sha256") return { kind: "unsupported", algorithm };
  if (value.length !== SHA256_B64_LENGTH || !URLSAFE_B64.test(value)) {
    throw new EnvCheckError(
      "BAD_RECORD",
      `Cannot read the record "${record}": the sha256 "${value.slice(0, 80)}" is not 43 url-safe base64 characters`,
    );
  }
  const bytes = Buffer.from(value, "base64url");
  // Reject non-canonical encodings (stray low bits in the last character) by re-encoding.
  if (bytes.length !== SHA256_BYTES || bytes.toString("base64url") !== value) {
    throw new EnvCheckError(
      "BAD_RECORD",
      `Cannot read the record "${record}": the sha256 "${value}" is not canonical base64`,
    );
  }
  return { kind: "sha256", hex: bytes.toString("hex") };
}

const DECIMAL = /^(0|[1-9][0-9]{0,15})$/;

/** The size column: empty, or decimal digits within the safe integer range. */
export function parseRecordSize(field: string, record: string): number | undefined {
  if (field === "") return undefined;
  const size = Number(field);
  if (!DECIMAL.test(field) || !Number.isSafeInteger(size)) {
    throw new EnvCheckError(
      "BAD_RECORD",
      `Cannot read the record "${record}": the size "${field.slice(0, 40)}" is not a byte count`,
    );
  }
  return size;
}
