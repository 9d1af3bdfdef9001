/**
 * The guard protocol: one JSON object per line each way over a Unix socket.
 *
 * Request: `{"path": "/abs/model.pt", "verify"?: {"signature": "/abs/model.pt.sig", "publicKey":
 * "/abs/key.pem"}}`. Reply: `{"verdict", "findings", "format", "size", "sha256", "cached",
 * "verified"?, "verifyFindings"?}` or `{"error": {"code", "message"}}`. `sha256` is the digest of
 * exactly the bytes that were scanned, so a client that read the file itself can prove it is about
 * to load what was checked (docs/guard.md, "Check and load the same bytes").
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

export interface GuardRequest {
  readonly path: string;
  readonly verify?: VerifyRequest;
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
    if (key !== "path" && key !== "verify") {
      throw new GuardError("bad-request", `Cannot read request: unknown field "${key}"`);
    }
  }
  const path = absolutePath(value.path, "path");
  if (value.verify === undefined || value.verify === null) return { path };
  if (!isRecord(value.verify)) {
    throw new GuardError("bad-request", 'Cannot read request: "verify" is not an object');
  }
  return {
    path,
    verify: {
      signature: absolutePath(value.verify.signature, "verify.signature"),
      publicKey: absolutePath(value.verify.publicKey, "verify.publicKey"),
    },
  };
}

export function errorReply(error: GuardError): GuardErrorReply {
  return { error: { code: error.code, message: error.message } };
}
