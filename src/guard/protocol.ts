/**
 * The guard protocol: one JSON object per line each way over a Unix socket.
 *
 * Request: `{"path": "/abs/model.pt", "verify"?: {"signature": "/abs/model.pt.sig", "publicKey":
 * "/abs/key.pem"}, "identity"?: {"dev", "ino", "size", "mtimeNs", "ctimeNs"}}`. Reply:
 * `{"verdict", "findings", "format", "size", "sha256"?, "cached", "sameFile"?, "verified"?,
 * "verifyFindings"?}` or `{"error": {"code", "message"}}`. `sha256` is the digest of exactly the
 * bytes that were scanned, so a client that read the file itself can prove it is about to load
 * what was checked; `sameFile: true` is the cheaper proof for a client that sent the identity of
 * the descriptor it will read (docs/guard.md, "Check and load the same bytes", "Warm path").
 */
import { isAbsolute } from "node:path";
import type { Finding, Verdict } from "../scan/index.js";
import { GuardError, type GuardErrorCode } from "./guard-error.js";

/** A path and two more paths fit in far less; a longer line is hostile or broken. */
export const MAX_REQUEST_BYTES = 64 * 1024;

export interface VerifyRequest {
  /** Path of the OpenSSF Model Signing bundle (`model.pt.sig`). */
  readonly signature: string;
  /** Path of the PEM public key the signature must verify with. */
  readonly publicKey: string;
}

/** A file's identity as the client's `fstat` saw it: decimal strings (64-bit values). */
export interface FileIdentity {
  readonly dev: string;
  readonly ino: string;
  readonly size: string;
  readonly mtimeNs: string;
  readonly ctimeNs: string;
}

export const IDENTITY_FIELDS = ["dev", "ino", "size", "mtimeNs", "ctimeNs"] as const;

export interface GuardRequest {
  readonly path: string;
  readonly verify?: VerifyRequest;
  readonly identity?: FileIdentity;
}

export interface GuardReply {
  readonly verdict: Verdict;
  readonly findings: readonly Finding[];
  readonly format: string;
  readonly size: number;
  /** Lowercase hex SHA-256 of the bytes scanned; absent when the file could not be read. */
  readonly sha256?: string;
  /** The scan came from the cache: the file's identity and times have not changed. */
  readonly cached: boolean;
  /**
   * Only when the request sent an identity: true when the scanned bytes are what a file with
   * exactly that identity holds from the scan on (docs/guard.md, "Warm path"), so a client that
   * reads its descriptor after this reply and sees the same identity before and after holds them.
   */
  readonly sameFile?: boolean;
  readonly verified?: boolean;
  readonly verifyFindings?: readonly string[];
}

export interface GuardErrorReply {
  readonly error: { readonly code: GuardErrorCode; readonly message: string };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function absolutePath(value: unknown, field: string): string {
  if (typeof value !== "string" || value === "" || value.includes("\0") || !isAbsolute(value)) {
    throw new GuardError("bad-request", `Cannot read request: "${field}" is not an absolute path`);
  }
  return value;
}

export function parseRequest(line: string): GuardRequest {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new GuardError("bad-request", "Cannot read request: the line is not JSON");
  }
  if (!isRecord(value)) {
    throw new GuardError("bad-request", "Cannot read request: the line is not a JSON object");
  }
  for (const key of Object.keys(value)) {
    if (key !== "path" && key !== "verify" && key !== "identity") {
      throw new GuardError("bad-request", `Cannot read request: unknown field "${key}"`);
    }
  }
  const path = absolutePath(value.path, "path");
  const identity = parseIdentity(value.identity);
  const withIdentity = identity === undefined ? { path } : { path, identity };
  if (value.verify === undefined || value.verify === null) return withIdentity;
  if (!isRecord(value.verify)) {
    throw new GuardError("bad-request", 'Cannot read request: "verify" is not an object');
  }
  return {
    ...withIdentity,
    verify: {
      signature: absolutePath(value.verify.signature, "verify.signature"),
      publicKey: absolutePath(value.verify.publicKey, "verify.publicKey"),
    },
  };
}

/** An unsigned 64-bit value in decimal: at most 20 digits, no sign, no leading zeros. */
const UINT64_TEXT = /^(0|[1-9][0-9]{0,19})$/;

function parseIdentity(value: unknown): FileIdentity | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    throw new GuardError("bad-request", 'Cannot read request: "identity" is not an object');
  }
  for (const key of Object.keys(value)) {
    if (!(IDENTITY_FIELDS as readonly string[]).includes(key)) {
      throw new GuardError("bad-request", `Cannot read request: unknown field "identity.${key}"`);
    }
  }
  const field = (name: (typeof IDENTITY_FIELDS)[number]): string => {
    const text = value[name];
    if (typeof text !== "string" || !UINT64_TEXT.test(text)) {
      throw new GuardError(
        "bad-request",
        `Cannot read request: "identity.${name}" is not an unsigned decimal string`,
      );
    }
    return text;
  };
  return {
    dev: field("dev"),
    ino: field("ino"),
    size: field("size"),
    mtimeNs: field("mtimeNs"),
    ctimeNs: field("ctimeNs"),
  };
}

export function errorReply(error: GuardError): GuardErrorReply {
  return { error: { code: error.code, message: error.message } };
}
