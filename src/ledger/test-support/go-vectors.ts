import { readFileSync } from "node:fs";

/**
 * `fixtures/tlog/vectors.json`: RFC 9162 trees and proofs and C2SP checkpoints made by Go's
 * golang.org/x/mod/sumdb/tlog and note (copied from shared/fixtures/tlog; see its README).
 */
export interface GoVectors {
  readonly leaves: readonly string[];
  readonly roots: readonly string[];
  readonly inclusion: readonly { Index: number; Size: number; Hashes: string[] }[];
  readonly consistency: readonly { Old: number; New: number; Hashes: string[] }[];
  readonly signer_key: string;
  readonly verifier_key: string;
  readonly checkpoints: readonly { note: string; size: string }[];
}

export const VECTORS_ORIGIN = "example.test/trainguard-vectors";

export function loadGoVectors(): GoVectors {
  const url = new URL("../../../fixtures/tlog/vectors.json", import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as GoVectors;
}

export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "base64"));
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

/** A copy of `bytes` with one bit flipped. */
export function flipBit(bytes: Uint8Array, bit = 0): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[Math.floor(bit / 8) % out.length]! ^= 1 << (bit % 8);
  return out;
}
