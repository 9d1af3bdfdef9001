import { createHash } from "node:crypto";
import { LedgerError } from "../ledger-error.js";

/** SHA-256 output size; every tree hash, proof element and tile entry has it (RFC 9162 §2.1). */
export const HASH_SIZE = 32;

/** Domain-separation prefix of a leaf hash (RFC 9162 §2.1.1). */
export const RFC9162_LEAF_PREFIX = 0x00;

/** Domain-separation prefix of an interior node hash (RFC 9162 §2.1.1). */
export const RFC9162_NODE_PREFIX = 0x01;

const LEAF_PREFIX_BYTES = new Uint8Array([RFC9162_LEAF_PREFIX]);
const NODE_PREFIX_BYTES = new Uint8Array([RFC9162_NODE_PREFIX]);

/** MTH({}) = SHA-256() (RFC 9162 §2.1.1): the root of the empty tree. */
export const EMPTY_TREE_HASH: Uint8Array = new Uint8Array(createHash("sha256").digest());

/** MTH({d}) = SHA-256(0x00 || d) (RFC 9162 §2.1.1). */
export function leafHash(entry: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(LEAF_PREFIX_BYTES).update(entry).digest());
}

/** SHA-256(0x01 || left || right) (RFC 9162 §2.1.1). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return new Uint8Array(
    createHash("sha256").update(NODE_PREFIX_BYTES).update(left).update(right).digest(),
  );
}

/** Throws MALFORMED_HASH unless `hash` is exactly 32 bytes. */
export function assertHash(hash: Uint8Array, what: string): void {
  if (hash.length !== HASH_SIZE) {
    throw new LedgerError(
      "MALFORMED_HASH",
      `Cannot use ${what}: it is ${hash.length} bytes, not ${HASH_SIZE}`,
    );
  }
}

/** Byte equality for hashes; roots are public, so a constant-time compare buys nothing here. */
export function hashesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
